import { percentOf } from "./guard.ts";

export interface RevenueMovement {
  /** Recurring revenue of the starting cohort at the period's start. */
  start: number;
  /** Upgrades and add-ons from that cohort. */
  expansion: number;
  /** Downgrades from that cohort (a positive amount). */
  contraction: number;
  /** Revenue of the cohort's customers who left (a positive amount). */
  churned: number;
}

/**
 * Net revenue retention (%): (start + expansion - contraction - churned) / start x 100. New customers are
 * excluded. Can exceed 100. Null when start is 0.
 */
export function nrr(m: RevenueMovement): number | null {
  return percentOf(m.start + m.expansion - m.contraction - m.churned, m.start);
}

/**
 * Gross revenue retention (%): (start - contraction - churned) / start x 100, ignoring expansion, clamped
 * to at most 100 (and at least 0). Null when start is 0.
 */
export function grr(m: Omit<RevenueMovement, "expansion">): number | null {
  const v = percentOf(m.start - m.contraction - m.churned, m.start);
  return v === null ? null : Math.min(100, Math.max(0, v));
}
