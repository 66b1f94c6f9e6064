import { addDays, firstDayEvaluated, type KpiDefinition, rangeLength, resolveWindow } from "../kpi/index.ts";

/** Trend charts show at least this many days, and the same span before them, faded. */
const MIN_TREND_DAYS = 28;

/**
 * The first day an answer or evaluation needs for one KPI in one window: what the evaluation reads (the
 * domain's `firstDayEvaluated`) and, for answers that draw a trend, the chart's two spans of window
 * values. Reading no more than this is most of what keeps an evaluation run fast.
 */
export function firstDayNeeded(
  def: KpiDefinition,
  window: string,
  asOf: string,
  timezone: string,
  forCharts: boolean,
): string {
  const evaluated = firstDayEvaluated(def, window, asOf, timezone);
  if (!forCharts) return evaluated;
  const w = resolveWindow(window, asOf, timezone);
  const chart = addDays(w.current.start, -2 * Math.max(MIN_TREND_DAYS, rangeLength(w.current)));
  return chart < evaluated ? chart : evaluated;
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
