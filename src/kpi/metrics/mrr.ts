export type BillingInterval = "day" | "week" | "month" | "quarter" | "year" | "one_time";

export interface SubscriptionItem {
  /** Price per billing interval, per unit. */
  amount: number;
  interval: BillingInterval;
  /** Bill every N intervals (Stripe's `interval_count`); 1 when absent. */
  intervalCount?: number;
  quantity?: number;
}

const PER_MONTH: Record<Exclude<BillingInterval, "one_time">, number> = {
  day: 365 / 12,
  week: 52 / 12,
  month: 1,
  quarter: 1 / 3,
  year: 1 / 12,
};

/**
 * Monthly recurring amount of one item: annual / 12, quarterly / 3, weekly x 52 / 12, daily x 365 / 12,
 * divided by the interval count and multiplied by the quantity. One-time fees are not recurring: 0.
 * Null when a number is not finite or the interval count is not positive.
 */
export function monthlyAmount(item: SubscriptionItem): number | null {
  if (item.interval === "one_time") return 0;
  const count = item.intervalCount ?? 1;
  const quantity = item.quantity ?? 1;
  if (![item.amount, count, quantity].every(Number.isFinite) || count <= 0) return null;
  return (item.amount * quantity * PER_MONTH[item.interval]) / count;
}

/** Monthly recurring revenue: the sum of the items' monthly amounts. Null when any item is invalid. */
export function mrrFromItems(items: readonly SubscriptionItem[]): number | null {
  let total = 0;
  for (const item of items) {
    const m = monthlyAmount(item);
    if (m === null) return null;
    total += m;
  }
  return total;
}

/** Annual recurring revenue = MRR x 12. */
export function arrFromMrr(mrr: number | null): number | null {
  return mrr === null || !Number.isFinite(mrr) ? null : mrr * 12;
}
