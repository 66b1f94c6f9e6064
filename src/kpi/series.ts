import { aggregatePositions, aggregateRange } from "./aggregate.ts";
import type { DayValue } from "./anomaly.ts";
import { addDays, dayToNumber, numberToDay } from "./days.ts";
import type { KpiDefinition } from "./definition.ts";
import type { Sample } from "./sample.ts";
import { buildSeriesIndex, lowerBound, type SeriesIndex } from "./series-index.ts";
import type { DayRange } from "./window.ts";

/**
 * One value per day of `range`, for charts, anomalies and trends: count/sum/latest give the day's value,
 * ratio and mean the day's num/den (null when den is 0), distributions the day's statistic. Days without
 * samples are null. Walks the index once, so a long range costs one binary search.
 */
export function series(
  def: Pick<KpiDefinition, "aggregation">,
  index: SeriesIndex | readonly Sample[],
  range: DayRange,
): DayValue[] {
  const idx = "days" in index ? index : buildSeriesIndex(index);
  const first = dayToNumber(range.start);
  const last = dayToNumber(range.end);
  const out: DayValue[] = [];
  let pos = lowerBound(idx.days, first);
  for (let d = first; d <= last; d++) {
    let value: number | null = null;
    if (pos < idx.length && idx.days[pos] === d) {
      value = aggregatePositions(def.aggregation, idx, pos, pos + 1).value;
      pos++;
    }
    out.push({ day: numberToDay(d), value });
  }
  return out;
}

/**
 * For each day of `range`, the value over the `length` days ending that day (a rolling 7d series smooths
 * a rate for trend fitting). `valueOf` answers any range, so formula KPIs can use it too.
 */
export function rollingSeries(
  range: DayRange,
  length: number,
  read: (r: DayRange) => number | null,
): DayValue[] {
  const out: DayValue[] = [];
  const last = dayToNumber(range.end);
  for (let d = dayToNumber(range.start); d <= last; d++) {
    const end = numberToDay(d);
    out.push({ day: end, value: read({ start: addDays(end, 1 - length), end }) });
  }
  return out;
}

/** rollingSeries over a prebuilt index. */
export function rollingIndexSeries(
  def: Pick<KpiDefinition, "aggregation">,
  index: SeriesIndex,
  range: DayRange,
  length: number,
): DayValue[] {
  return rollingSeries(range, length, (r) => aggregateRange(def, index, r).value);
}
