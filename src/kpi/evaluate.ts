import { aggregateRange, type WindowValue } from "./aggregate.ts";
import { type Anomaly, type DayValue, detectAnomaly } from "./anomaly.ts";
import { addDays } from "./days.ts";
import type { KpiDefinition, ThresholdRule } from "./definition.ts";
import { computeDelta, type Delta } from "./delta.ts";
import { cached, type EvaluationCache } from "./evaluation-cache.ts";
import { type Forecast, forecastCrossing } from "./forecast.ts";
import { applicableTarget, type Pacing, paceTarget } from "./pacing.ts";
import type { Sample } from "./sample.ts";
import { rollingSeries, series } from "./series.ts";
import { buildSeriesIndex, type SeriesIndex } from "./series-index.ts";
import type { Status } from "./status.ts";
import {
  advanceStatus,
  type StatusState,
  type StatusTransition,
  type StoredStatus,
  shownStatus,
} from "./status-machine.ts";
import { classify } from "./thresholds.ts";
import type { ValueSource } from "./value-source.ts";
import type { DayRange } from "./window.ts";
import { type CalendarPeriod, isCalendarWindow, periodStart, resolveWindow, rollingDays } from "./windows.ts";

export { createEvaluationCache, type EvaluationCache } from "./evaluation-cache.ts";

export interface EvaluateInput {
  def: KpiDefinition;
  window: string;
  /** Prebuilt index of the KPI's samples (one segment); or pass `samples`; or `values` for formulas. */
  index?: SeriesIndex;
  samples?: readonly Sample[];
  /** Answers any KPI over any range; required for formula KPIs, preferred over `index` when given. */
  values?: ValueSource;
  /** What the status machine stored for this KPI and window (null the first time). */
  stored: StoredStatus | null;
  /** The last complete day, in the catalog's timezone. */
  asOf: string;
  timezone: string;
  now: Date;
  /** The KPI's source (or, for a formula, an input's source) failed on the last poll. */
  sourceError: boolean;
  /** Shared between the windows of one KPI so window-independent work (anomaly, trend series) runs once. */
  cache?: EvaluationCache;
}

export interface Evaluation {
  kpi: string;
  window: string;
  label: string;
  asOf: string;
  ranges: { current: DayRange; previous: DayRange };
  value: number | null;
  previousValue: number | null;
  current: WindowValue;
  previous: WindowValue;
  delta: Delta | null;
  /** What the thresholds say about this evaluation on its own. */
  observed: Status;
  /** What users see: the confirmed status, or the no_data / error overlay on it. */
  status: Status;
  /** The state after this data day (the confirmed status, pending days, overlay). */
  state: StatusState;
  /** What to store for this KPI and window. */
  stored: StoredStatus;
  transition: StatusTransition | null;
  diagnostic: { rule: ThresholdRule | null; why: string };
  pacing: Pacing | null;
  anomaly: Anomaly | null;
  forecast: Forecast | null;
}

const ANOMALY_DAYS = 57; // the evaluation day plus 8 weeks of same-weekday history
const TARGET_ORDER: readonly CalendarPeriod[] = ["month", "quarter", "week"];
const LEVEL_SMOOTHING_DAYS = 7;

/** Value of the KPI over a range, from whichever input the caller gave. */
export function rangeReader(
  input: Pick<EvaluateInput, "def" | "index" | "samples" | "values">,
): (r: DayRange) => WindowValue {
  const { def, values } = input;
  if (values) return (r) => values.value(def.slug, r);
  const index = input.index ?? (input.samples ? buildSeriesIndex(input.samples) : null);
  return index ? (r) => aggregateRange(def, index, r) : () => ({ value: null, days: 0 });
}

/** Status, delta, pacing, anomaly and forecast of one KPI in one window: the single evaluation entry point. */
export function evaluateKpi(input: EvaluateInput): Evaluation {
  const { def, window, asOf, timezone } = input;
  const read = rangeReader(input);
  const w = resolveWindow(window, asOf, timezone);
  const current = read(w.current);
  const previous = read(w.previous);
  const value = input.sourceError ? null : current.value;
  const diagnostic = input.sourceError
    ? { status: "error" as const, rule: null, why: "the source failed on its last poll (error)" }
    : classify(def, window, value);
  const { stored, transition } = advanceStatus(
    def,
    window,
    input.stored,
    { day: asOf, status: diagnostic.status, value },
    input.now,
  );
  const state = stored.state;
  const healthy = !input.sourceError && value !== null;
  return {
    kpi: def.slug,
    window,
    label: w.label,
    asOf,
    ranges: { current: w.current, previous: w.previous },
    value,
    previousValue: previous.value,
    current,
    previous,
    delta: computeDelta(def, value, previous.value),
    observed: diagnostic.status,
    status: shownStatus(state),
    state,
    stored,
    transition,
    diagnostic: { rule: diagnostic.rule, why: diagnostic.why },
    pacing: healthy ? pacingFor(input, read, value) : null,
    anomaly: healthy && def.anomaly.enabled ? anomalyFor(input, read) : null,
    forecast: healthy && def.forecast.enabled ? forecastFor(input, read, value) : null,
  };
}

function pacingFor(input: EvaluateInput, read: (r: DayRange) => WindowValue, value: number): Pacing | null {
  const { def, window, asOf, timezone } = input;
  if (def.targets.length === 0) return null;
  // A calendar window paces against its own period first; any window falls back to the others.
  const periods = isCalendarWindow(window)
    ? [window, ...TARGET_ORDER.filter((p) => p !== window)]
    : TARGET_ORDER;
  for (const period of periods) {
    const target = applicableTarget(def.targets, period, asOf);
    if (!target) continue;
    const cumulative = def.aggregation.kind === "count" || def.aggregation.kind === "sum";
    const toDate = cumulative ? read({ start: periodStart(period, asOf), end: asOf }).value : value;
    return paceTarget(def, target, asOf, timezone, toDate);
  }
  return null;
}

function anomalyFor(input: EvaluateInput, read: (r: DayRange) => WindowValue): Anomaly | null {
  const { def, asOf } = input;
  return cached(input.cache?.anomalies, `${def.slug}|${asOf}`, () => {
    const range = { start: addDays(asOf, 1 - ANOMALY_DAYS), end: asOf };
    const daily: DayValue[] =
      input.values || !input.index
        ? rollingSeries(range, 1, (r) => read(r).value)
        : series(def, input.index, range);
    return detectAnomaly(daily, def.anomaly.sensitivity, def.direction);
  });
}

/**
 * Totals (count, sum) are projected as the rolling window's own total; other KPIs as a rolling 7-day
 * value, which smooths daily noise. Period-to-date totals reset each period and are not projected.
 */
function forecastFor(
  input: EvaluateInput,
  read: (r: DayRange) => WindowValue,
  value: number,
): Forecast | null {
  const { def, window, asOf } = input;
  if (def.thresholds.length === 0) return null;
  const total = def.aggregation.kind === "count" || def.aggregation.kind === "sum";
  const length = total ? rollingDays(window) : LEVEL_SMOOTHING_DAYS;
  if (length === null) return null;
  const lookback = def.forecast.lookback_days;
  const points = cached(input.cache?.trendSeries, `${def.slug}|${asOf}|${length}|${lookback}`, () =>
    rollingSeries({ start: addDays(asOf, 1 - lookback), end: asOf }, length, (r) => read(r).value),
  );
  return forecastCrossing(def, window, points, value, def.forecast.horizon_days);
}
