import { addDays } from "../../kpi/days.ts";
import type { StripeMetric } from "./stripe-config.ts";
import type { MrrPiece } from "./subscription-mrr.ts";

type Daily = Record<StripeMetric, number>;

const zero = (): Daily => ({
  mrr: 0,
  new_mrr: 0,
  expansion_mrr: 0,
  contraction_mrr: 0,
  churned_mrr: 0,
  reactivation_mrr: 0,
  customers: 0,
  new_customers: 0,
  churned_customers: 0,
});

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * Daily MRR, customer counts and MRR movements from every subscription's pieces. Movements are per
 * customer, as ChartMogul and Baremetrics define them: a customer going from no MRR to some is new
 * business the first time and a reactivation after that; from some to none is churn (so cancelling one
 * of two subscriptions is a contraction); any other rise or fall is expansion or contraction. A customer
 * whose MRR is zero (a 100%-off coupon) is not a paying customer.
 */
export function dailyMetrics(pieces: readonly MrrPiece[], since: string, until: string): Map<string, Daily> {
  const byCustomer = new Map<string, MrrPiece[]>();
  for (const p of pieces) byCustomer.set(p.customer, [...(byCustomer.get(p.customer) ?? []), p]);
  const changes = new Map<string, Daily>();
  const at = (day: string) => {
    let d = changes.get(day);
    if (!d) {
      d = zero();
      changes.set(day, d);
    }
    return d;
  };
  for (const own of byCustomer.values()) {
    const cuts = [...new Set(own.flatMap((p) => (p.until === null ? [p.from] : [p.from, p.until])))].sort();
    let prev = 0;
    let everPaid = false;
    for (const day of cuts) {
      const v = cents(
        own.reduce((sum, p) => (p.from <= day && (p.until === null || day < p.until) ? sum + p.mrr : sum), 0),
      );
      if (v === prev) continue;
      const d = at(day);
      d.mrr += v - prev;
      if (prev === 0) {
        d.customers += 1;
        if (everPaid) d.reactivation_mrr += v;
        else {
          d.new_mrr += v;
          d.new_customers += 1;
        }
      } else if (v === 0) {
        d.customers -= 1;
        d.churned_mrr += prev;
        d.churned_customers += 1;
      } else if (v > prev) d.expansion_mrr += v - prev;
      else d.contraction_mrr += prev - v;
      everPaid = true;
      prev = v;
    }
  }
  const out = new Map<string, Daily>();
  let mrr = 0;
  let customers = 0;
  const days = [...changes.keys()].sort();
  let k = 0;
  for (; k < days.length && (days[k] as string) < since; k++) {
    const c = changes.get(days[k] as string) as Daily;
    mrr += c.mrr;
    customers += c.customers;
  }
  for (let day = since; day <= until; day = addDays(day, 1)) {
    const c = changes.get(day);
    const d = zero();
    if (c) {
      mrr += c.mrr;
      customers += c.customers;
      Object.assign(d, c);
    }
    d.mrr = cents(mrr);
    d.customers = customers;
    for (const key of [
      "new_mrr",
      "expansion_mrr",
      "contraction_mrr",
      "churned_mrr",
      "reactivation_mrr",
    ] as const)
      d[key] = cents(d[key]);
    out.set(day, d);
  }
  return out;
}
