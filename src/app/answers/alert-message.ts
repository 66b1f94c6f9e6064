import { commandText } from "../../commands/command-text.ts";
import {
  type ChangeCause,
  type Evaluation,
  type KpiDefinition,
  parseSegmentKey,
  type RuleStatus,
  STATUS_LABEL,
  STATUS_SEVERITY,
  STATUS_SYMBOL,
  type ThresholdRule,
} from "../../kpi/index.ts";
import { formatDuration, formatValue } from "../../messages/format.ts";
import type { Block, Message } from "../../messages/message.ts";
import type { Snapshot } from "../snapshot.ts";
import { describeRule } from "./admin-answers.ts";
import { trendChart } from "./chart-builders.ts";
import { anomalyText, forecastText, kpiRow } from "./kpi-row.ts";
import { asOfLine, rowFor } from "./shared.ts";
import { whyStatus } from "./why-status.ts";

export type AlertEvent =
  | {
      kind: "status";
      /** null: the first status after days without data. */
      from: RuleStatus | null;
      to: RuleStatus;
      cause: ChangeCause;
      rulesBefore: readonly ThresholdRule[] | null;
    }
  | { kind: "anomaly" }
  | { kind: "forecast" }
  /** An incident still red, repeated in its thread for a subscription that asked for reminders. */
  | { kind: "reminder"; status: RuleStatus; openedAt: Date; now: Date };

/** One thing to tell a channel about one KPI (in the snapshot's segment). */
export interface AlertItem {
  def: KpiDefinition;
  evaluation: Evaluation;
  event: AlertEvent;
  snapshot: Snapshot;
}

/** Most severe first: a change to red, then to amber, then warnings, then improvements. */
export function alertSeverity(event: AlertEvent): number {
  if (event.kind === "reminder") return 0;
  if (event.kind !== "status") return 1.5;
  const worse = event.from === null || STATUS_SEVERITY[event.to] > STATUS_SEVERITY[event.from];
  return worse ? STATUS_SEVERITY[event.to] + 1 : 0;
}

export function isWorsening(event: AlertEvent): boolean {
  if (event.kind === "reminder") return false;
  return (
    event.kind !== "status" || event.from === null || STATUS_SEVERITY[event.to] > STATUS_SEVERITY[event.from]
  );
}

function displayName(item: AlertItem): string {
  const segment = parseSegmentKey(item.snapshot.segment);
  return segment ? `${item.def.name} (${segment.dimension} ${segment.value})` : item.def.name;
}

/** "red below 50% -> red below 40%": only the rules that differ. */
export function ruleChangeText(
  def: KpiDefinition,
  before: readonly ThresholdRule[],
  after: readonly ThresholdRule[],
) {
  const text = (r: ThresholdRule) => describeRule(def, r);
  const was = before.map(text);
  const now = after.map(text);
  const removed = was.filter((t) => !now.includes(t));
  const added = now.filter((t) => !was.includes(t));
  return `${removed.length > 0 ? removed.join("; ") : "no rule"} -> ${added.length > 0 ? added.join("; ") : "no rule"}`;
}

/** The one line that says what happened. */
export function alertHeadline(item: AlertItem): string {
  const { event, def } = item;
  const name = displayName(item);
  if (event.kind === "anomaly") return `${STATUS_SYMBOL.amber} ${name} looks unusual`;
  if (event.kind === "forecast") return `${STATUS_SYMBOL.amber} ${name} is on course to cross a threshold`;
  if (event.kind === "reminder") {
    const hours = Math.round((event.now.getTime() - event.openedAt.getTime()) / 3_600_000);
    const since = formatDuration(hours >= 48 ? Math.round(hours / 24) * 1440 : hours * 60);
    return `${STATUS_SYMBOL[event.status]} ${name} is still ${STATUS_LABEL[event.status]} (for ${since})`;
  }
  const symbol = STATUS_SYMBOL[event.to];
  const to = STATUS_LABEL[event.to];
  if (event.cause === "threshold") {
    const rules = ruleChangeText(def, event.rulesBefore ?? [], item.evaluation.state.rules);
    return `${symbol} ${name} is now ${to} because its threshold changed (${rules})`;
  }
  if (event.from === null) return `${symbol} ${name} is ${to} (first data after a gap)`;
  const was = STATUS_LABEL[event.from];
  if (event.to === "green") return `${symbol} ${name} recovered to green (was ${was})`;
  return STATUS_SEVERITY[event.to] > STATUS_SEVERITY[event.from]
    ? `${symbol} ${name} turned ${to} (was ${was})`
    : `${symbol} ${name} improved to ${to} (was ${was})`;
}

function detailText(item: AlertItem, locale: string): string {
  const { def, evaluation: e, event } = item;
  const detail =
    event.kind === "anomaly"
      ? anomalyText(def, e)
      : event.kind === "forecast"
        ? forecastText(def, e)
        : whyStatus(def, e, locale);
  return detail.charAt(0).toUpperCase() + detail.slice(1);
}

function rowOfItem(item: AlertItem, locale: string) {
  const { def, evaluation: e, snapshot } = item;
  return {
    ...kpiRow(def, e, { ...rowFor(snapshot, def, e.window, locale), storedStatus: e.status }),
    name: displayName(item),
  };
}

function actions(item: AlertItem): Block {
  const { def, evaluation: e, snapshot } = item;
  const segment = parseSegmentKey(snapshot.segment);
  return {
    type: "actions",
    buttons: [
      {
        label: "Details",
        command: commandText({
          kind: "kpi",
          kpi: def.slug,
          window: e.window,
          compare: "previous",
          by: null,
          segment: segment ? snapshot.segment : null,
        }),
        style: "primary",
      },
      ...def.dimensions
        .slice(0, 1)
        .map((d) => ({ label: `By ${d}`, command: `${def.slug} ${e.window} by ${d}` })),
      ...(item.event.kind === "status" && item.event.to !== "green"
        ? [{ label: "Acknowledge", command: `ack ${def.slug}` }]
        : []),
      { label: "Snooze 1 day", command: `snooze ${def.slug} 1d` },
    ],
  };
}

/**
 * The alerts of one evaluation run for one channel, as one message, most severe first: one item reads as
 * before (what happened, the number, the trend, what to do next); several become one post with a line
 * and a row each, the trend chart of the most severe one, and its buttons.
 */
export function composeAlert(items: readonly AlertItem[], locale: string): Message {
  const sorted = [...items].sort((a, b) => alertSeverity(b.event) - alertSeverity(a.event));
  const first = sorted[0];
  if (!first) throw new Error("composeAlert needs at least one item");
  const worsening = sorted.some((i) => isWorsening(i.event));
  const tone: Message["tone"] = worsening ? "warning" : "info";
  const firstRow = rowOfItem(first, locale);
  const chart: Block = {
    type: "chart",
    chart: trendChart(
      first.def,
      first.evaluation,
      first.snapshot,
      firstRow.status,
      firstRow.formatted,
      firstRow.rated,
    ),
  };
  const context: Block = {
    type: "context",
    text: asOfLine(
      first.snapshot,
      sorted.map((i) => i.def),
    ),
  };
  if (sorted.length === 1) {
    const headline = alertHeadline(first);
    return {
      summary: `${headline}: ${formatValue(first.def, firstRow.value, locale)} ${first.evaluation.label}`,
      tone,
      blocks: [
        { type: "header", text: headline },
        { type: "kpis", rows: [firstRow] },
        { type: "text", text: detailText(first, locale) },
        chart,
        actions(first),
        context,
      ],
    };
  }
  const headlines = sorted.map(alertHeadline);
  const header = `${sorted.length} alerts: ${sorted.map(displayName).join(", ")}`;
  return {
    summary: `${header}. ${headlines[0]}`,
    tone,
    blocks: [
      { type: "header", text: header },
      ...sorted.flatMap((item, i): Block[] => [
        { type: "text", text: `**${headlines[i]}**\n${detailText(item, locale)}` },
        { type: "kpis", rows: [i === 0 ? firstRow : rowOfItem(item, locale)] },
      ]),
      chart,
      actions(first),
      context,
    ],
  };
}

/** A change told in an incident's thread: an improvement or a recovery. */
export function composeReply(items: readonly AlertItem[], lines: readonly string[], locale: string): Message {
  const headlines = items.map(alertHeadline);
  const suffix = lines.length > 0 ? ` · ${lines.join(" · ")}` : "";
  return {
    summary: `${headlines.join("; ")}${suffix}`,
    tone: "info",
    blocks: [
      { type: "text", text: `**${headlines.join("\n")}**${suffix}` },
      { type: "kpis", rows: items.map((i) => rowOfItem(i, locale)) },
      {
        type: "context",
        text: asOfLine(
          items[0]?.snapshot as Snapshot,
          items.map((i) => i.def),
        ),
      },
    ],
  };
}

/** Where an incident stands, as words for the edited alert: "resolved after 3 days", "acknowledged by dana". */
export function incidentStateText(
  incident: {
    status: string;
    opened_at: Date;
    resolved_at: Date | null;
    acked_by: string | null;
    acked_at: Date | null;
    snoozed_by: string | null;
    snoozed_until: Date | null;
  },
  now: Date,
): string {
  const parts: string[] = [];
  if (incident.resolved_at) {
    const minutes = (incident.resolved_at.getTime() - incident.opened_at.getTime()) / 60_000;
    const rounded =
      minutes >= 1440
        ? Math.round(minutes / 1440) * 1440
        : minutes >= 60
          ? Math.round(minutes / 60) * 60
          : minutes;
    parts.push(`resolved after ${formatDuration(rounded)}`);
  } else {
    parts.push(`now ${STATUS_LABEL[incident.status as RuleStatus] ?? incident.status}`);
  }
  const hhmm = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  if (incident.acked_by && incident.acked_at)
    parts.push(`acknowledged by ${incident.acked_by} at ${hhmm(incident.acked_at)}`);
  if (!incident.resolved_at && incident.snoozed_by && incident.snoozed_until && incident.snoozed_until > now)
    parts.push(`snoozed by ${incident.snoozed_by} until ${hhmm(incident.snoozed_until)}`);
  return parts.join(", ");
}

/**
 * The original alert with its header saying where each of its incidents stands now. `states` pairs a
 * KPI's name with its incidentStateText; a post about one KPI needs no name.
 */
export function composeRootUpdate(root: Message, states: readonly { name: string; text: string }[]): Message {
  const words =
    states.length === 1 ? (states[0]?.text ?? "") : states.map((s) => `${s.name} ${s.text}`).join("; ");
  const [head, ...rest] = root.blocks;
  const header: Block =
    head?.type === "header"
      ? { type: "header", text: `${head.text} · ${words}` }
      : { type: "header", text: words };
  return {
    ...root,
    summary: `${root.summary} · ${words}`,
    tone: "info",
    blocks: head?.type === "header" ? [header, ...rest] : [header, ...root.blocks],
  };
}
