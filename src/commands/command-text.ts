import type { AlertScope, Command } from "./command.ts";

/** A segment value in quotes so words like "by" or "vs" inside it stay part of it. */
function segmentText(segment: string): string {
  const at = segment.indexOf(":");
  return `for ${segment.slice(0, at)}:"${segment.slice(at + 1)}"`;
}

function scopeText(scope: AlertScope): string {
  if (scope.kind === "all") return "all";
  return scope.kind === "stage" ? `stage ${scope.stage}` : `kpi ${scope.kpi}`;
}

/** Plain decimal notation: "1e-7" is not something the grammar (or a person) reads as a number. */
function numberText(n: number): string {
  const plain = String(n);
  return /e/i.test(plain)
    ? n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 })
    : plain;
}

function minutesText(minutes: number): string {
  for (const [unit, size] of [
    ["w", 10080],
    ["d", 1440],
    ["h", 60],
  ] as const) {
    if (minutes % size === 0) return `${minutes / size}${unit}`;
  }
  return `${minutes}m`;
}

const join = (...parts: (string | null | false)[]) =>
  parts.filter((p): p is string => typeof p === "string" && p !== "").join(" ");

/**
 * The command as text in the one grammar, e.g. for a button: `parseCommand(commandText(c))` gives `c`
 * back (for a KPI whose slug is in the vocabulary and a segment value without double quotes).
 */
export function commandText(command: Command): string {
  const text = bodyText(command);
  return command.share ? `share ${text}` : text;
}

function bodyText(command: Command): string {
  switch (command.kind) {
    case "help":
      return join("help", command.topic);
    case "list":
      return join("list", command.stage);
    case "kpi":
      return join(
        command.kpi,
        command.window,
        command.compare === "target" && "vs target",
        command.by !== null && `by ${command.by}`,
        command.segment !== null && segmentText(command.segment),
      );
    case "stage":
      return join("stage", command.stage, command.window);
    case "board":
      return join("board", command.window);
    case "digest":
    case "sources":
      return command.kind;
    case "subscribe_digest":
      return join("subscribe digest", `"${command.cron}"`, command.timezone);
    case "subscribe_alerts":
      return join(
        "subscribe alerts",
        scopeText(command.scope),
        command.segment !== null && segmentText(command.segment),
      );
    case "unsubscribe":
      return join("unsubscribe", command.what, command.scope !== null && scopeText(command.scope));
    case "threshold":
      return join(
        "threshold",
        command.kpi,
        command.status,
        command.op === "below" ? "<" : ">",
        `${numberText(command.value)}${command.percent ? "%" : ""}`,
        command.window,
      );
    case "ack":
      return join("ack", command.kpi);
    case "snooze":
      return join(
        "snooze",
        command.kpi,
        /^\d+[mhdw]$/.test(command.text) ? command.text : minutesText(command.minutes),
      );
  }
}
