import { type Evaluation, hasThresholds, type KpiDefinition, type Pacing } from "../../kpi/index.ts";
import { STATUS_LABEL, type Status } from "../../kpi/status.ts";
import { formatBound, formatDelta, formatValue, isNoChange } from "../../messages/format.ts";
import type { KpiRow } from "../../messages/message.ts";
import type { SourceFailure } from "../snapshot.ts";

const PERIOD_WORD = { week: "week", month: "month", quarter: "quarter" } as const;

function amount(def: KpiDefinition, n: number): string {
  return formatValue(def, n);
}

/** A target as every message writes it: a total like the value ("1,950"), a level as a bound ("65%"). */
export function targetAmount(def: KpiDefinition, kind: Pacing["kind"], value: number): string {
  return kind === "cumulative" ? amount(def, value) : formatBound(def, value);
}

/** "behind by 12%: needs 41 more, 3.2 a day, to hit the quarter" and its siblings. */
export function pacingText(def: KpiDefinition, p: Pacing): string {
  const period = PERIOD_WORD[p.period];
  if (p.kind === "cumulative") {
    const target = targetAmount(def, p.kind, p.target);
    switch (p.status) {
      case "met":
        return `${period} target of ${target} met (${amount(def, p.actual)})`;
      case "ahead":
        return `ahead of pace: ${amount(def, p.actual)} of ${target} this ${period}`;
      case "on_pace":
        return `on pace for ${target} this ${period} (${amount(def, p.actual)} so far)`;
      case "behind": {
        const perDay =
          p.perDay === null
            ? ""
            : `, ${formatValue({ unit: "number", format: { decimals: 1 } }, p.perDay)} a day`;
        return `behind by ${Math.round(p.behindPct ?? 0)}%: needs ${amount(def, p.remaining)} more${perDay}, to hit the ${period}'s ${target}`;
      }
    }
  }
  // A level: the period-to-date value against the level to be at, in the KPI's direction.
  const target = targetAmount(def, p.kind, p.target);
  const toDate = `${period} to date ${amount(def, p.actual)}`;
  if (p.status === "behind" && p.gap !== null) {
    const gap =
      def.unit === "percent"
        ? `${formatValue({ unit: "number", format: { decimals: def.format.decimals ?? 1 } }, Math.abs(p.gap))} pp`
        : amount(def, Math.abs(p.gap));
    // A gap that rounds to nothing is not "short": say it is at target, as the numbers shown agree.
    if (/[1-9]/.test(gap)) {
      const side = def.direction === "up" ? "short of" : "above";
      return `${toDate}: ${gap} ${side} the ${period} target of ${target}`;
    }
  }
  return p.status === "met"
    ? `${toDate}: meets the ${period} target of ${target}`
    : `${toDate}: at the ${period} target of ${target}`;
}

export interface RowContext {
  /** The flap-controlled status alerts last saw, when there is one. */
  storedStatus: Status | null;
  failure: SourceFailure | null;
  pendingNeeded: number;
  /** Say what the comparison is against: "previous 28d". */
  comparedTo?: string;
  locale?: string;
}

/** One evaluated KPI as a row of the message model. */
export function kpiRow(def: KpiDefinition, e: Evaluation, ctx: RowContext): KpiRow {
  // A failing source still shows its last good data; the status says the source failed.
  const shown = e.value ?? e.current.value;
  const status = ctx.failure ? "error" : (ctx.storedStatus ?? e.status);
  const notes: string[] = [];
  if (ctx.failure)
    notes.push(`source "${ctx.failure.source}" failed: ${ctx.failure.error}; showing the last good data`);
  if (!ctx.failure && e.state.pending && !e.state.overlay) {
    notes.push(
      `turning ${STATUS_LABEL[e.state.pending.status]} (${e.state.pending.count} of ${ctx.pendingNeeded} days)`,
    );
  }
  if (!ctx.failure && e.state.overlay?.status === "no_data" && e.state.confirmed)
    notes.push(`no data since ${e.state.overlay.since}; last confirmed ${STATUS_LABEL[e.state.confirmed]}`);
  if (e.anomaly) notes.push(anomalyText(def, e));
  if (e.forecast) notes.push(forecastText(def, e));
  const comparedTo = ctx.comparedTo ?? `previous ${e.window}`;
  const delta = formatDelta(def, e.delta, comparedTo, ctx.locale);
  return {
    slug: def.slug,
    name: def.name,
    stage: def.stage,
    window: e.window,
    value: shown,
    formatted: formatValue(def, shown, ctx.locale),
    status,
    rated: hasThresholds(def, e.window),
    delta,
    deltaGood: delta === null || isNoChange(delta) ? null : (e.delta?.good ?? null),
    target: e.pacing ? pacingText(def, e.pacing) : null,
    note: notes.length > 0 ? notes.join(" · ") : null,
  };
}

const WEEKDAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export function anomalyText(def: KpiDefinition, e: Evaluation): string {
  const a = e.anomaly;
  if (!a) return "";
  const weekday = WEEKDAY[(new Date(`${a.day}T00:00:00Z`).getUTCDay() + 6) % 7];
  // One day's value is small next to a window's total: show it in full, not compacted ("1,043", not "1k").
  const exact = { ...def, format: { ...def.format, compact: false } };
  const level = a.direction === "below" ? "low" : "high";
  return (
    `unusually ${level} on ${weekday} ${a.day}: ${formatValue(exact, a.actual)}, where the last 8 ${weekday}s ` +
    `suggest about ${formatValue(exact, a.expected)} (robust z-score ${a.score.toFixed(1)})`
  );
}

export function forecastText(def: KpiDefinition, e: Evaluation): string {
  const f = e.forecast;
  if (!f) return "";
  const rule = def.thresholds.find(
    (r) => r.status === f.status && (r.below === f.threshold || r.above === f.threshold),
  );
  const verb = rule?.above !== undefined ? "rise above" : "fall below";
  const days = Math.max(1, Math.round(f.days));
  return `at the current trend, will ${verb} ${formatBound(def, f.threshold)} (${f.status}) in about ${days} day${days === 1 ? "" : "s"}`;
}
