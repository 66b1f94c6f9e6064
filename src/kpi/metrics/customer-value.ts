import { safeDivide } from "./guard.ts";

/** Average revenue per user (account) = revenue in the period / active customers. Null with no customers. */
export function arpu(revenue: number, customers: number): number | null {
  return safeDivide(revenue, customers);
}

/**
 * Customer lifetime value = ARPU x gross margin / churn rate, all for the same period (monthly ARPU with
 * monthly churn). Margin and churn are percents (80 for 80%). Null when churn is 0 (no finite lifetime).
 */
export function clv(input: { arpu: number; grossMarginPct: number; churnRatePct: number }): number | null {
  return safeDivide(input.arpu * (input.grossMarginPct / 100), input.churnRatePct / 100);
}

/** Revenue-only lifetime value = ARPU / churn rate (churn in percent). Null when churn is 0. */
export function clvFromArpu(arpuValue: number, churnRatePct: number): number | null {
  return safeDivide(arpuValue, churnRatePct / 100);
}

/** LTV : CAC ratio (3 means a customer returns three times what it cost to win). Null when CAC is 0. */
export function ltvToCac(ltv: number, cac: number): number | null {
  return safeDivide(ltv, cac);
}
