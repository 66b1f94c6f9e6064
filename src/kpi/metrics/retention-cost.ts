import { finite, safeDivide } from "./guard.ts";

export interface RetentionCosts {
  people: number;
  tools: number;
  customerMarketing: number;
  training: number;
  loyalty: number;
}

/**
 * Customer retention cost = (success and support people + tools + customer marketing + training + loyalty
 * programme costs) / active customers, for one period. Null with no active customers or a non-finite cost.
 */
export function customerRetentionCost(costs: RetentionCosts, activeCustomers: number): number | null {
  const total = costs.people + costs.tools + costs.customerMarketing + costs.training + costs.loyalty;
  return finite(total) ? safeDivide(total, activeCustomers) : null;
}
