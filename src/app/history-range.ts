import {
  addDays,
  type KpiDefinition,
  periodStart,
  rangeLength,
  resolveWindow,
  rollingDays,
} from "../kpi/index.ts";

/** The anomaly detector compares the last day with the same weekday of the 8 weeks before. */
const ANOMALY_DAYS = 57;
/** Trend charts show at least this many days, and the same span before them, faded. */
const MIN_TREND_DAYS = 28;
/** Rates, means and formulas are projected as a rolling 7-day value. */
const SMOOTHING_DAYS = 7;

/**
 * The first day an evaluation needs for one KPI in one window: the current and previous windows, the
 * anomaly baseline, the forecast's rolling series, the quarter-to-date total for pacing, and (for
 * answers that draw a trend) the chart's two spans of window values. Reading no more than this is most
 * of what keeps an evaluation run fast.
 */
export function firstDayNeeded(
  def: KpiDefinition,
  window: string,
  asOf: string,
  timezone: string,
  forCharts: boolean,
): string {
  const w = resolveWindow(window, asOf, timezone);
  const length = rangeLength(w.current);
  const totals = def.aggregation.kind === "count" || def.aggregation.kind === "sum";
  const forecastLength = totals ? (rollingDays(window) ?? SMOOTHING_DAYS) : SMOOTHING_DAYS;
  const starts = [
    w.previous.start,
    addDays(asOf, 1 - ANOMALY_DAYS),
    addDays(asOf, 2 - def.forecast.lookback_days - forecastLength),
    periodStart("quarter", asOf),
  ];
  if (forCharts) starts.push(addDays(w.current.start, -2 * Math.max(MIN_TREND_DAYS, length)));
  return starts.reduce((a, b) => (b < a ? b : a));
}

/** The first day to load for a set of KPIs and windows. */
export function historyStart(
  defs: readonly KpiDefinition[],
  windowsOf: (def: KpiDefinition) => readonly string[],
  asOf: string,
  timezone: string,
  forCharts: boolean,
): string {
  let start = asOf;
  for (const def of defs) {
    for (const window of windowsOf(def)) {
      const s = firstDayNeeded(def, window, asOf, timezone, forCharts);
      if (s < start) start = s;
    }
  }
  return start;
}
