import type { KpiDefinition } from "../../../kpi/definition.ts";
import type { DemoWorld } from "../world.ts";

/** One day of one series for one segment ("" for the whole); the connector adds the KPI and day. */
export interface Row {
  segment: string;
  value?: number;
  num?: number;
  den?: number;
  dist?: Record<string, number>;
}

export type SeriesFn = (world: DemoWorld, day: number, kpi: KpiDefinition) => Row[];

/** A histogram of `n` answers drawn from weights over the scores min..min+weights.length-1. */
export function histogram(
  draw: { pick(weights: readonly number[]): number },
  n: number,
  min: number,
  weights: readonly number[],
): Record<string, number> {
  const dist: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const score = String(min + draw.pick(weights));
    dist[score] = (dist[score] ?? 0) + 1;
  }
  return dist;
}
