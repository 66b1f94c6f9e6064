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

/**
 * Window values are rounded to 12 significant digits, far below any KPI's precision, so what is left of
 * binary rounding (0.1 + 0.2 = 0.30000000000000004) never tips a threshold: "red above 0.5" does not fire
 * on a sum of 0.5.
 */
export function roundValue(v: number): number {
  return v === 0 ? 0 : Number(v.toPrecision(12));
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
      return { value: clean(rangeSum(index.valueSum, index.valueErr, lo, hi)), days };
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
      const num = rangeSum(index.numSum, index.numErr, lo, hi);
      const first = index.firstRateAt[lo] as number;
      const den =
        agg.kind === "ratio" && agg.denominator === "first"
          ? (index.den[first] as number)
          : rangeSum(index.denSum, index.denErr, lo, hi);
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
