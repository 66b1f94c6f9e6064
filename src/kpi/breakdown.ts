import { aggregateRange } from "./aggregate.ts";
import type { KpiDefinition } from "./definition.ts";
import { computeDelta, type Delta } from "./delta.ts";
import { indexSegments } from "./index-samples.ts";
import { parseSegmentKey, type Sample } from "./sample.ts";
import type { SeriesIndex } from "./series-index.ts";
import type { Status } from "./status.ts";
import { classify } from "./thresholds.ts";
import type { DayRange } from "./window.ts";

export interface BreakdownRow {
  /** The full segment key, e.g. "owner:Dana Ruiz". */
  segment: string;
  /** The dimension value alone, e.g. "Dana Ruiz". */
  label: string;
  value: number | null;
  previous: number | null;
  delta: Delta | null;
  status: Status;
}

export interface Breakdown {
  dimension: string;
  /** Highest value first; segments without data last. */
  rows: BreakdownRow[];
  /** Largest moves in the good direction, biggest first. */
  improved: BreakdownRow[];
  /** Largest moves in the bad direction, biggest first. */
  worsened: BreakdownRow[];
}

/**
 * One KPI split by one dimension over a window: per segment the value, previous value, delta and status
 * (thresholds without flap control), sorted by value, plus the biggest movers each way (`movers` each).
 */
export function breakdown(
  def: KpiDefinition,
  window: string,
  dimension: string,
  segments: readonly Sample[] | ReadonlyMap<string, SeriesIndex>,
  ranges: { current: DayRange; previous: DayRange },
  movers = 3,
): Breakdown {
  const indexes =
    segments instanceof Map ? segments : indexSegments(segments as readonly Sample[], dimension);
  const rows: BreakdownRow[] = [];
  for (const [segment, index] of indexes) {
    const key = parseSegmentKey(segment);
    if (!key || key.dimension !== dimension) continue;
    const value = aggregateRange(def, index, ranges.current).value;
    const previous = aggregateRange(def, index, ranges.previous).value;
    rows.push({
      segment,
      label: key.value,
      value,
      previous,
      delta: computeDelta(def, value, previous),
      status: classify(def, window, value).status,
    });
  }
  rows.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || a.label.localeCompare(b.label));
  const moved = rows
    .filter((r) => r.delta && r.delta.good !== null)
    .sort((a, b) => Math.abs(b.delta?.absolute ?? 0) - Math.abs(a.delta?.absolute ?? 0));
  return {
    dimension,
    rows,
    improved: moved.filter((r) => r.delta?.good === true).slice(0, movers),
    worsened: moved.filter((r) => r.delta?.good === false).slice(0, movers),
  };
}
