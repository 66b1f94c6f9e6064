import type { KpiDefinition } from "./definition.ts";

export interface Delta {
  /** current - previous, in the KPI's unit (percentage points for percent KPIs). */
  absolute: number;
  /** Change relative to the previous value in percent (12.5 = up 12.5%); null when previous is 0. */
  relative: number | null;
  unit: "pp" | "abs";
  /** Whether the move is in the good direction; null when there was no change. */
  good: boolean | null;
}

/** Change between the previous and the current window; null when either has no data. */
export function computeDelta(
  def: Pick<KpiDefinition, "unit" | "direction">,
  current: number | null,
  previous: number | null,
): Delta | null {
  if (current === null || previous === null || !Number.isFinite(current) || !Number.isFinite(previous))
    return null;
  const absolute = current - previous;
  return {
    absolute,
    relative: previous === 0 ? null : (absolute / Math.abs(previous)) * 100,
    unit: def.unit === "percent" ? "pp" : "abs",
    good: absolute === 0 ? null : absolute > 0 === (def.direction === "up"),
  };
}
