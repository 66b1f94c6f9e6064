import { DateTime } from "luxon";
import { dayInZone } from "../../kpi/windows.ts";

/** The parts of a Stripe subscription MRR is computed from (Stripe's documented field names). */
export interface SubscriptionLike {
  id: string;
  customer: string | { id: string };
  status: string;
  currency: string;
  start_date: number;
  trial_end: number | null;
  ended_at: number | null;
  items: { data: ItemLike[] };
  discounts: (string | DiscountLike)[];
  /**
   * The items as they were before each in-place change that Stripe's events still hold (the last 30 days):
   * `items` held until `until` (seconds), oldest first. Before the oldest, its items are assumed.
   */
  earlier_items?: { until: number; items: ItemLike[] }[];
}

export interface ItemLike {
  id: string;
  created: number;
  quantity?: number;
  /** Item-level discounts, applied to this item before the subscription's discounts. */
  discounts?: (string | DiscountLike)[];
  price: {
    id: string;
    unit_amount: number | null;
    unit_amount_decimal?: string | null;
    billing_scheme?: string;
    /** For a tiered price (`billing_scheme: tiered`): how its tiers apply, and the tiers (an expansion). */
    tiers_mode?: TierMode;
    tiers?: TierLike[] | null;
    recurring: {
      interval: "day" | "week" | "month" | "year";
      interval_count: number;
      usage_type?: string;
    } | null;
  };
}

export type TierMode = "graduated" | "volume" | null;

/** One tier of a tiered price; amounts in minor units, `up_to` null for the last tier. */
export interface TierLike {
  up_to: number | null;
  unit_amount: number | null;
  unit_amount_decimal?: string | null;
  flat_amount: number | null;
  flat_amount_decimal?: string | null;
}

export interface DiscountLike {
  id: string;
  start: number;
  end: number | null;
  source?: { coupon: string | CouponLike | null };
  /** Older API versions put the coupon on the discount itself. */
  coupon?: string | CouponLike | null;
}

export interface CouponLike {
  id: string;
  percent_off: number | null;
  amount_off: number | null;
  duration: "once" | "repeating" | "forever";
  duration_in_months: number | null;
}

/** A run of days (start inclusive, end exclusive; null = still running) with one monthly amount. */
export interface MrrPiece {
  customer: string;
  from: string;
  until: string | null;
  mrr: number;
}

/** Currencies Stripe counts in whole units (no cents). */
const ZERO_DECIMAL = new Set("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split(" "));

export function majorUnits(amount: number, currency: string): number {
  return ZERO_DECIMAL.has(currency) ? amount : amount / 100;
}

/** Monthly value of one billing interval's amount: annual / 12, weekly x 52 / 12, daily x 365 / 12. */
export function monthlyFactor(interval: string, count: number): number {
  const perYear = interval === "year" ? 1 : interval === "month" ? 12 : interval === "week" ? 52 : 365;
  return perYear / 12 / Math.max(1, count);
}

function couponOf(d: DiscountLike): CouponLike | null {
  const c = d.source?.coupon ?? d.coupon ?? null;
  return typeof c === "object" ? c : null;
}

const amount = (whole: number | null, decimal?: string | null) => whole ?? (decimal ? Number(decimal) : null);

/**
 * One billing period's amount of an item in minor units: unit amount x quantity for a per-unit price;
 * for a tiered price, from its tiers as Stripe bills them: `volume` prices every unit at the tier the
 * quantity falls in (plus that tier's flat amount), `graduated` prices each unit at the tier it falls in
 * (plus the flat amount of every tier reached). Null when the price cannot be counted.
 */
export function itemPeriodAmount(item: ItemLike): number | null {
  const quantity = item.quantity ?? 1;
  const price = item.price;
  if (price.billing_scheme !== "tiered") {
    const unit = amount(price.unit_amount, price.unit_amount_decimal);
    return unit === null || !Number.isFinite(unit) ? null : unit * quantity;
  }
  const tiers = price.tiers ?? [];
  if (tiers.length === 0 || (price.tiers_mode !== "volume" && price.tiers_mode !== "graduated")) return null;
  const unitOf = (t: TierLike) => amount(t.unit_amount, t.unit_amount_decimal) ?? 0;
  const flatOf = (t: TierLike) => amount(t.flat_amount, t.flat_amount_decimal) ?? 0;
  if (price.tiers_mode === "volume") {
    const tier = tiers.find((t) => t.up_to === null || quantity <= t.up_to) ?? tiers[tiers.length - 1];
    return tier ? unitOf(tier) * quantity + flatOf(tier) : null;
  }
  let total = 0;
  let below = 0;
  for (const t of tiers) {
    if (quantity <= below) break;
    const top = t.up_to === null ? quantity : Math.min(quantity, t.up_to);
    total += unitOf(t) * (top - below) + flatOf(t);
    below = top;
  }
  return total;
}

/** When a discount applies, in seconds: `once` for the first billing period, `repeating` until its end. */
interface DiscountWindow {
  from: number;
  until: number | null;
  coupon: CouponLike;
}

function discountWindows(
  discounts: readonly (string | DiscountLike)[] | undefined,
  firstPeriodEnd: (start: number) => number,
): DiscountWindow[] {
  return (discounts ?? [])
    .filter((d): d is DiscountLike => typeof d === "object")
    .flatMap((d) => {
      const coupon = couponOf(d);
      if (!coupon) return [];
      const until =
        coupon.duration === "forever" ? null : coupon.duration === "once" ? firstPeriodEnd(d.start) : d.end;
      return [{ from: d.start, until, coupon }];
    });
}

const applies = (d: DiscountWindow, t: number) => d.from <= t && (d.until === null || d.until > t);

export class UnsupportedSubscription extends Error {}

/**
 * Monthly recurring revenue of one subscription over time, as pieces of days. MRR starts when a trial
 * ends (trials bring none), stops on the day the subscription ended (the end of the paid period when
 * cancelled at period end), counts each recurring item from the day it was added, normalised to a month,
 * (a tiered price from its tiers), takes off each item's own discounts, then each subscription discount,
 * while its coupon's duration says it applies: `once` for the first billing period, `repeating` until the
 * discount's end, `forever` always. Metered prices (billed
 * on usage) and one-time charges are not recurring revenue. Never-paid subscriptions bring nothing.
 */
export function subscriptionPieces(sub: SubscriptionLike, timezone: string): MrrPiece[] {
  if (sub.status === "incomplete" || sub.status === "incomplete_expired") return [];
  const customer = typeof sub.customer === "string" ? sub.customer : sub.customer.id;
  const paidFrom = sub.trial_end !== null && sub.trial_end > sub.start_date ? sub.trial_end : sub.start_date;
  const end = sub.ended_at;
  if (end !== null && end <= paidFrom) return [];
  const isRecurring = (i: ItemLike) =>
    i.price.recurring !== null && i.price.recurring.usage_type !== "metered";
  const recurring = sub.items.data.filter(isRecurring);
  const history = (sub.earlier_items ?? []).map((h) => ({
    until: h.until,
    items: h.items.filter(isRecurring),
  }));
  // The recurring items at a moment: the earliest earlier state that still held then, or today's.
  const itemsAt = (t: number) => history.find((h) => h.until > t)?.items ?? recurring;
  const everyItem = [...recurring, ...history.flatMap((h) => h.items)];
  if (everyItem.length === 0) return [];
  const first = (recurring[0] ?? everyItem[0])?.price.recurring;
  // A `once` coupon covers the first billing period: a calendar month, a year...
  const firstPeriodEnd = (start: number) => {
    const unit = first?.interval ?? "month";
    const n = first?.interval_count ?? 1;
    const step =
      unit === "year"
        ? { years: n }
        : unit === "week"
          ? { weeks: n }
          : unit === "day"
            ? { days: n }
            : { months: n };
    return DateTime.fromSeconds(start, { zone: "utc" }).plus(step).toSeconds();
  };
  const discounts = discountWindows(sub.discounts, firstPeriodEnd);
  // An item keeps its discounts across in-place changes; an earlier item gone since brings its own.
  const itemDiscounts = new Map<string, DiscountWindow[]>();
  for (const i of [...everyItem].reverse())
    itemDiscounts.set(i.id, discountWindows(i.discounts, firstPeriodEnd));
  // Every moment the amount may change, in seconds.
  const cuts = new Set<number>([paidFrom]);
  for (const i of everyItem) if (i.created > paidFrom) cuts.add(i.created);
  for (const h of history) if (h.until > paidFrom) cuts.add(h.until);
  for (const d of [...discounts, ...[...itemDiscounts.values()].flat()]) {
    if (d.from > paidFrom) cuts.add(d.from);
    if (d.until !== null && d.until > paidFrom) cuts.add(d.until);
  }
  const times = [...cuts].filter((t) => end === null || t < end).sort((a, b) => a - b);
  const pieces: MrrPiece[] = [];
  times.forEach((t, k) => {
    const next = times[k + 1] ?? end;
    let gross = 0;
    for (const item of itemsAt(t)) {
      if (item.created > t) continue;
      const period = itemPeriodAmount(item);
      if (period === null) {
        throw new UnsupportedSubscription(
          `subscription ${sub.id} has price ${item.price.id}${item.price.billing_scheme === "tiered" ? " (tiered, without its tiers)" : " without a unit amount"}, which this source cannot count`,
        );
      }
      const r = item.price.recurring as NonNullable<ItemLike["price"]["recurring"]>;
      const factor = monthlyFactor(r.interval, r.interval_count);
      let itemMrr = majorUnits(period, sub.currency) * factor;
      // Item discounts come first, then the subscription's apply to the sum.
      const before = itemMrr;
      for (const d of itemDiscounts.get(item.id) ?? []) {
        if (!applies(d, t)) continue;
        if (d.coupon.percent_off !== null) itemMrr -= (before * d.coupon.percent_off) / 100;
        else if (d.coupon.amount_off !== null)
          itemMrr -= majorUnits(d.coupon.amount_off, sub.currency) * factor;
      }
      gross += Math.max(0, itemMrr);
    }
    let net = gross;
    for (const d of discounts) {
      if (!applies(d, t)) continue;
      if (d.coupon.percent_off !== null) net -= (gross * d.coupon.percent_off) / 100;
      else if (d.coupon.amount_off !== null && first)
        net -=
          majorUnits(d.coupon.amount_off, sub.currency) * monthlyFactor(first.interval, first.interval_count);
    }
    const from = dayInZone(new Date(t * 1000), timezone);
    const until = next === null ? null : dayInZone(new Date(next * 1000), timezone);
    if (until !== null && until <= from) return;
    pieces.push({ customer, from, until, mrr: Math.max(0, Math.round(net * 100) / 100) });
  });
  return pieces;
}
