import type { Direction } from "./definition.ts";
import { MAD_SCALE, median, medianAbsoluteDeviation } from "./robust-stats.ts";

export interface DayValue {
  day: string;
  value: number | null;
}

export interface Anomaly {
  day: string;
  /** Median of the same weekday over the last 8 weeks. */
  expected: number;
  actual: number;
  /** Robust z-score: (actual - expected) / (1.4826 x MAD). */
  score: number;
  direction: "above" | "below";
  good: boolean;
}

const WEEKS = 8;
const MIN_POINTS = 4;

/**
 * Seasonal anomaly on the last day of a contiguous daily series: its value against the same weekday of
 * the 8 weeks before (days -7, -14, ... -56), scored with the median absolute deviation. Null when the day
 * has no value, fewer than 4 of those weekdays have values, the baseline does not vary (MAD 0), or the
 * score is under `sensitivity`.
 */
export function detectAnomaly(
  series: readonly DayValue[],
  sensitivity: number,
  direction: Direction,
): Anomaly | null {
  const last = series[series.length - 1];
  if (!last || last.value === null || !Number.isFinite(last.value)) return null;
  const baseline: number[] = [];
  for (let w = 1; w <= WEEKS; w++) {
    const v = series[series.length - 1 - 7 * w]?.value;
    if (v !== null && v !== undefined && Number.isFinite(v)) baseline.push(v);
  }
  if (baseline.length < MIN_POINTS) return null;
  const expected = median(baseline);
  const mad = medianAbsoluteDeviation(baseline, expected) * MAD_SCALE;
  if (mad === 0) return null;
  const score = (last.value - expected) / mad;
  if (Math.abs(score) < sensitivity) return null;
  const above = score > 0;
  return {
    day: last.day,
    expected,
    actual: last.value,
    score,
    direction: above ? "above" : "below",
    good: above === (direction === "up"),
  };
}
