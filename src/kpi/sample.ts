/**
 * One day of one KPI (optionally of one segment), as stored in `samples`.
 *
 * - count / sum / latest KPIs use `value`;
 * - ratio and mean KPIs use `num` and `den` (a rate over a window is sum(num) / sum(den), never a mean of
 *   daily ratios; a mean is sum of scores / number of scores);
 * - distribution KPIs use `dist`: a histogram from score to number of responses (e.g. NPS answers 0-10).
 *
 * `segment` is "" for the whole, or "<dimension>:<value>" (e.g. "owner:Dana Ruiz", "plan:pro").
 */
export interface Sample {
  kpi: string;
  day: string;
  segment: string;
  value: number | null;
  num: number | null;
  den: number | null;
  dist: Record<string, number> | null;
}

export const TOTAL_SEGMENT = "";

export function segmentKey(dimension: string, value: string): string {
  return `${dimension}:${value}`;
}

export function parseSegmentKey(segment: string): { dimension: string; value: string } | null {
  const i = segment.indexOf(":");
  if (i <= 0) return null;
  return { dimension: segment.slice(0, i), value: segment.slice(i + 1) };
}
