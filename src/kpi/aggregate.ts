import { dayToNumber } from "./days.ts";
import type { Aggregation, KpiDefinition } from "./definition.ts";
import { distributionMean, shareBetween } from "./metrics/distribution.ts";
import { npsFromDistribution } from "./metrics/nps.ts";
import type { Sample } from "./sample.ts";
import { buildSeriesIndex, positionsIn, rangeSum, type SeriesIndex } from "./series-index.ts";
import type { DayRange } from "./window.ts";

/** A KPI's value over a day range, with what it was made of. `value` null means no data. */
export interface WindowValue {
  value: number | null;
  num?: number;
  den?: number;
  /** Days in the range that had usable samples. */
  days: number;
  dist?: Record<string, number>;
}

const NO_DATA: WindowValue = Object.freeze({ value: null, days: 0 });

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Window values are rounded to 15 significant digits, below any KPI's precision and above binary noise,
 * so the last bit a ratio or formula leaves (0.29 x 100 = 28.999999999999996) never tips a threshold.
 * (Sums are rounded at their inputs' scale first, in `rangeSum`.) Scaling by a power of ten keeps this
 * cheap; an integer divided by an exact power of ten is the nearest double to the decimal.
 */
export function roundValue(v: number): number {
  if (Number.isInteger(v) || !Number.isFinite(v)) return v;
  const k = 14 - Math.floor(Math.log10(Math.abs(v)));
  if (k <= 0) return v;
  if (k > 22) return Number(v.toPrecision(15));
  const p = POW10[k] as number;
  return Math.round(v * p) / p;
}
const clean = (v: number): number | null => (Number.isFinite(v) ? roundValue(v) : null);

/**
 * Aggregate the samples at positions [lo, hi) of an index. Formula KPIs have no samples of their own and
 * give no data here; they are computed from other KPIs (see formula.ts).
 */
export function aggregatePositions(
  agg: Aggregation,
  index: SeriesIndex,
  lo: number,
  hi: number,
): WindowValue {
  if (hi <= lo) return NO_DATA;
  if ((index.badCount[hi] as number) - (index.badCount[lo] as number) > 0)
    return { value: null, days: hi - lo };
  switch (agg.kind) {
    case "count":
    case "sum": {
      const days = (index.valueCount[hi] as number) - (index.valueCount[lo] as number);
      if (days === 0) return NO_DATA;
      return { value: clean(rangeSum(index.valueSum, index.valueErr, index.valueAbs, lo, hi)), days };
    }
    case "latest": {
      const at = index.lastValueAt[hi - 1] as number;
      if (at < lo) return NO_DATA;
      const days = (index.valueCount[hi] as number) - (index.valueCount[lo] as number);
      return { value: index.value[at] as number, days };
    }
    case "ratio":
    case "mean": {
      const days = (index.rateCount[hi] as number) - (index.rateCount[lo] as number);
      if (days === 0) return NO_DATA;
      const num = rangeSum(index.numSum, index.numErr, index.numAbs, lo, hi);
      const first = index.firstRateAt[lo] as number;
      const den =
        agg.kind === "ratio" && agg.denominator === "first"
          ? (index.den[first] as number)
          : rangeSum(index.denSum, index.denErr, index.denAbs, lo, hi);
      if (den === 0) return { value: null, num, den, days };
      const scale = agg.kind === "ratio" ? agg.scale : 1;
      return { value: clean((num / den) * scale), num, den, days };
    }
    case "distribution": {
      const days = (index.distCount[hi] as number) - (index.distCount[lo] as number);
      if (days === 0) return NO_DATA;
      const dist: Record<string, number> = {};
      index.distKeys.forEach((k, j) => {
        const arr = index.distSum[j] as Float64Array;
        const c = (arr[hi] as number) - (arr[lo] as number);
        if (c !== 0) dist[k] = c;
      });
      const value = reduceDistribution(agg, dist);
      return { value: value === null ? null : clean(value), days, dist };
    }
    case "formula":
      return NO_DATA;
  }
}

/** The statistic a distribution KPI reports (NPS, top-box share in percent, or mean score). */
export function reduceDistribution(
  agg: Extract<Aggregation, { kind: "distribution" }>,
  dist: Record<string, number>,
): number | null {
  const scale = agg.scale;
  switch (agg.statistic) {
    case "nps":
      return npsFromDistribution(dist, {
        scale,
        promoterMin: agg.promoter_min,
        detractorMax: agg.detractor_max,
      });
    case "top_box":
      return shareBetween(dist, scale, agg.positive_min ?? scale.max - 1, scale.max);
    case "mean":
      return distributionMean(dist, scale);
  }
}

/** Value of a KPI over an inclusive day range, using a prebuilt index (O(log n)). */
export function aggregateRange(
  def: Pick<KpiDefinition, "aggregation">,
  index: SeriesIndex,
  range: DayRange,
): WindowValue {
  const [lo, hi] = positionsIn(index, dayToNumber(range.start), dayToNumber(range.end));
  return aggregatePositions(def.aggregation, index, lo, hi);
}

/**
 * Value of a KPI over a range straight from samples of one KPI and one segment. Builds an index each call:
 * when asking for many windows, build it once with buildSeriesIndex and use aggregateRange.
 */
export function aggregateWindow(
  def: Pick<KpiDefinition, "aggregation">,
  samples: readonly Sample[],
  range: DayRange,
): WindowValue {
  return aggregateRange(def, buildSeriesIndex(samples), range);
}
