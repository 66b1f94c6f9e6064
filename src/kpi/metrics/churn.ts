import { percentOf } from "./guard.ts";

/**
 * Customer churn rate (%): customers lost during the period / customers at the period's start x 100.
 * New customers won during the period are not in the denominator. Null when there were no customers.
 */
export function customerChurnRate(lost: number, customersAtStart: number): number | null {
  return percentOf(lost, customersAtStart);
}

/**
 * Revenue (MRR) churn rate (%): (churned MRR + contraction MRR) / MRR at the period's start x 100.
 * Expansion is not netted off (that is net revenue retention). Null when starting MRR is 0.
 */
export function revenueChurnRate(churnedMrr: number, mrrAtStart: number, contractionMrr = 0): number | null {
  return percentOf(churnedMrr + contractionMrr, mrrAtStart);
}
