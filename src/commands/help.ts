import { STAGES } from "../kpi/stage.ts";
import type { Block, Button, Message } from "../messages/message.ts";
import { ADMIN_COMMANDS } from "./command.ts";
import { GRAMMAR, type GrammarEntry, grammarEntry } from "./grammar.ts";
import { closest, didYouMean } from "./suggest.ts";
import { normalizePhrase } from "./tokenize.ts";

const TOPIC_ALIASES: Record<string, string> = {
  kpis: "kpi",
  show: "kpi",
  compare: "kpi",
  by: "kpi",
  for: "kpi",
  window: "windows",
  stages: "stage",
  alerts: "subscribe",
  schedule: "subscribe",
  thresholds: "threshold",
  mute: "snooze",
  acknowledge: "ack",
  source: "sources",
};

/** Commands whose examples change something: never offered as one-click buttons. */
const CHANGES_STATE = new Set<string>([...ADMIN_COMMANDS, "subscribe", "unsubscribe", "snooze", "ack"]);

function entryLine(g: GrammarEntry): string {
  return `${g.usage.map((u) => `**${u}**`).join("\n")}\n${g.summary} E.g. \`${g.examples[0] ?? ""}\``;
}

function resolveTopic(topic: string): GrammarEntry | undefined {
  const t = normalizePhrase(topic);
  return grammarEntry(TOPIC_ALIASES[t] ?? t);
}

function generalHelp(preface: Block[]): Message {
  const topics = GRAMMAR.map((g) => g.topic).join(", ");
  const buttons: Button[] = [
    { label: "List KPIs", command: "list" },
    { label: "Board", command: "board" },
    { label: "Windows", command: "help windows" },
  ];
  return {
    summary:
      "clg commands: ask for a KPI by name, or type list, board, stage, subscribe, threshold or snooze.",
    blocks: [
      { type: "header", text: "clg: Customer-Led Growth KPIs" },
      ...preface,
      { type: "text", text: "Ask for any KPI by name or alias, or use a command:" },
      ...GRAMMAR.filter((g) => g.topic !== "help").map((g): Block => ({ type: "text", text: entryLine(g) })),
      { type: "actions", buttons },
      {
        type: "context",
        text: `More on one command: \`help <topic>\` (${topics}). Stages: ${STAGES.join(", ")}.`,
      },
    ],
  };
}

/** Help on the whole grammar (topic null) or on one command; an unknown topic gets the overview. */
export function helpMessage(topic: string | null): Message {
  if (topic === null || normalizePhrase(topic) === "") return generalHelp([]);
  const entry = resolveTopic(topic);
  if (entry === undefined) {
    const suggestions = closest(
      normalizePhrase(topic),
      GRAMMAR.map((g) => ({ key: g.topic, label: g.topic, group: g.topic })),
    );
    return generalHelp([{ type: "text", text: `No help on "${topic}".${didYouMean(suggestions)}` }]);
  }
  const blocks: Block[] = [
    { type: "header", text: `help ${entry.topic}` },
    { type: "text", text: `${entry.usage.map((u) => `**${u}**`).join("\n")}\n${entry.summary}` },
    { type: "text", text: `Examples:\n${entry.examples.map((e) => `  ${e}`).join("\n")}` },
  ];
  if (!CHANGES_STATE.has(entry.topic)) {
    blocks.push({
      type: "actions",
      buttons: entry.examples.slice(0, 3).map((e) => ({ label: e, command: e })),
    });
  }
  if (ADMIN_COMMANDS.includes(entry.topic as (typeof ADMIN_COMMANDS)[number])) {
    blocks.push({ type: "context", text: "Only workspace admins can run this command." });
  }
  return { summary: `${entry.usage.join(" / ")}: ${entry.summary}`, blocks };
}
