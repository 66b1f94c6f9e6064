import type { Sample } from "./sample.ts";
import { TOTAL_SEGMENT } from "./sample.ts";
import { buildSeriesIndex, type SeriesIndex } from "./series-index.ts";

/** Group samples by KPI for one segment ("" = the whole) and index each group once. */
export function indexSamples(
  samples: readonly Sample[],
  segment: string = TOTAL_SEGMENT,
): Map<string, SeriesIndex> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.segment !== segment) continue;
    const g = groups.get(s.kpi);
    if (g) g.push(s);
    else groups.set(s.kpi, [s]);
  }
  const out = new Map<string, SeriesIndex>();
  for (const [kpi, group] of groups) out.set(kpi, buildSeriesIndex(group));
  return out;
}

/** Group one KPI's samples by segment (optionally only one dimension's segments) and index each. */
export function indexSegments(samples: readonly Sample[], dimension?: string): Map<string, SeriesIndex> {
  const prefix = dimension === undefined ? null : `${dimension}:`;
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    if (s.segment === TOTAL_SEGMENT || (prefix !== null && !s.segment.startsWith(prefix))) continue;
    const g = groups.get(s.segment);
    if (g) g.push(s);
    else groups.set(s.segment, [s]);
  }
  const out = new Map<string, SeriesIndex>();
  for (const [segment, group] of groups) out.set(segment, buildSeriesIndex(group));
  return out;
}
