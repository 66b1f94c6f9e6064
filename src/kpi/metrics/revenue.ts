import { percentOf, safeDivide } from "./guard.ts";

/**
 * Net revenue retention (%): (start + expansion - contraction - churned) / start x 100, where `start` is
 * MRR at the end of the day before the period. New customers are excluded. Can exceed 100. Null when
 * start is 0.
 */
export function nrr(start: number, expansion: number, contraction: number, churned: number): number | null {
  return percentOf(start + expansion - contraction - churned, start);
}

/**
 * Gross revenue retention (%): (start - contraction - churned) / start x 100, ignoring expansion, clamped
 * to 0..100. Null when start is 0.
 */
export function grr(start: number, contraction: number, churned: number): number | null {
  const v = percentOf(start - contraction - churned, start);
  return v === null ? null : Math.min(100, Math.max(0, v));
}

/**
 * Gross MRR churn rate (%): (churned + contraction) / start x 100. Expansion is not netted off (that is
 * net revenue retention). Null when start is 0.
 */
export function mrrChurn(start: number, churned: number, contraction: number): number | null {
  return percentOf(churned + contraction, start);
}

/**
 * Customer lifetime value = ARPU x gross margin / churn rate, all for the same period (monthly ARPU with
 * monthly churn). Margin and churn are percents (80 for 80%). Null when churn is 0 (no finite lifetime).
 */
export function clv(arpu: number, grossMarginPct: number, churnRatePct: number): number | null {
  return safeDivide(arpu * (grossMarginPct / 100), churnRatePct / 100);
}

/** LTV : CAC ratio (3 means a customer returns three times what it cost to win). Null when CAC is 0. */
export function ltvToCac(ltv: number, cac: number): number | null {
  return safeDivide(ltv, cac);
}
