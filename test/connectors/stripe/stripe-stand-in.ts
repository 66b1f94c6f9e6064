import { openStandIn, type StandIn } from "../http-csv/stand-in.ts";

/** Seconds since the epoch at midnight UTC of a day. */
export const at = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

export interface FakeCoupon {
  percent_off?: number;
  amount_off?: number;
  duration: "once" | "repeating" | "forever";
  months?: number;
  end?: string;
}

export interface FakeItem {
  amount: number;
  /** A tiered price instead of `amount` per unit (its tiers come only from prices.retrieve with expand). */
  tiers?: {
    mode: "graduated" | "volume";
    tiers: { up_to: number | null; unit_amount: number; flat_amount?: number }[];
  };
  /** An item-level discount. */
  coupon?: FakeCoupon;
  interval: "day" | "week" | "month" | "year";
  quantity?: number;
  created?: string;
  usage?: "licensed" | "metered";
}

export interface FakeSub {
  id: string;
  customer: string;
  items: FakeItem[];
  start: string;
  trialEnd?: string;
  endedAt?: string;
  /** In-place item changes: on `at`, the items changed from `before` to the next state (or `items`). */
  changes?: { at: string; before: FakeItem[] }[];
  status?: string;
  coupon?: FakeCoupon;
}

function stripeCoupon(id: string, c: FakeCoupon) {
  return {
    id,
    object: "coupon",
    percent_off: c.percent_off ?? null,
    amount_off: c.amount_off ?? null,
    currency: c.amount_off ? "usd" : null,
    duration: c.duration,
    duration_in_months: c.months ?? null,
    valid: true,
  };
}

const priceId = (i: FakeItem) =>
  i.tiers ? `price_tiered_${i.tiers.mode}_${i.amount}` : `price_${i.interval}_${i.amount}`;

/** A price as prices.retrieve returns it; `tiers` only when expanded, as Stripe does. */
function stripePrice(i: FakeItem, expandTiers: boolean) {
  return {
    id: priceId(i),
    object: "price",
    active: true,
    billing_scheme: i.tiers ? "tiered" : "per_unit",
    currency: "usd",
    type: "recurring",
    unit_amount: i.tiers ? null : i.amount,
    unit_amount_decimal: i.tiers ? null : String(i.amount),
    tiers_mode: i.tiers?.mode ?? null,
    ...(i.tiers && expandTiers
      ? {
          tiers: i.tiers.tiers.map((t) => ({
            up_to: t.up_to,
            unit_amount: t.unit_amount,
            unit_amount_decimal: String(t.unit_amount),
            flat_amount: t.flat_amount ?? null,
            flat_amount_decimal: t.flat_amount === undefined ? null : String(t.flat_amount),
          })),
        }
      : {}),
    recurring: { interval: i.interval, interval_count: 1, usage_type: i.usage ?? "licensed" },
  };
}

/** A subscription as Stripe's API returns it (the fields this source reads, and a few it does not). */
export function stripeSubscription(s: FakeSub, expandItemDiscounts = true) {
  const ended = s.endedAt ? at(s.endedAt) : null;
  return {
    id: s.id,
    object: "subscription",
    customer: s.customer,
    currency: "usd",
    status:
      s.status ??
      (ended ? "canceled" : s.trialEnd && at(s.trialEnd) > at("2026-03-01") ? "trialing" : "active"),
    created: at(s.start),
    start_date: at(s.start),
    trial_start: s.trialEnd ? at(s.start) : null,
    trial_end: s.trialEnd ? at(s.trialEnd) : null,
    canceled_at: ended,
    ended_at: ended,
    cancel_at_period_end: false,
    livemode: false,
    discounts: s.coupon
      ? [
          {
            id: `di_${s.id}`,
            object: "discount",
            start: at(s.start),
            end: s.coupon.end ? at(s.coupon.end) : null,
            subscription: s.id,
            source: { type: "coupon", coupon: stripeCoupon(`co_${s.id}`, s.coupon) },
          },
        ]
      : [],
    items: {
      object: "list",
      has_more: false,
      url: `/v1/subscription_items?subscription=${s.id}`,
      data: s.items.map((i, n) => ({
        id: `si_${s.id}_${n}`,
        object: "subscription_item",
        created: at(i.created ?? s.start),
        quantity: i.quantity ?? 1,
        subscription: s.id,
        // Item discounts: ids, or (expanded) discounts whose coupon is an id, as the current API answers.
        discounts: i.coupon
          ? [
              expandItemDiscounts
                ? {
                    id: `di_si_${s.id}_${n}`,
                    object: "discount",
                    start: at(i.created ?? s.start),
                    end: i.coupon.end ? at(i.coupon.end) : null,
                    subscription_item: `si_${s.id}_${n}`,
                    source: { type: "coupon", coupon: `co_si_${s.id}_${n}` },
                  }
                : `di_si_${s.id}_${n}`,
            ]
          : [],
        price: stripePrice(i, false),
      })),
    },
  };
}

/**
 * `customer.subscription.updated` events as Stripe sends them: the subscription after the change in
 * `data.object`, and the items before it in `data.previous_attributes.items`; newest first.
 */
export function subscriptionEvents(s: FakeSub) {
  const sub = stripeSubscription(s);
  return (s.changes ?? []).map((c, k) => {
    const before = stripeSubscription({ ...s, items: c.before });
    return {
      id: `evt_${s.id}_${k}`,
      object: "event",
      type: "customer.subscription.updated",
      created: at(c.at) + 3_600,
      api_version: "2025-09-30.clover",
      data: { object: sub, previous_attributes: { items: { object: "list", data: before.items.data } } },
    };
  });
}

/**
 * Stripe's list endpoint as documented: `limit` and `starting_after`, `{ object: "list", data, has_more }`,
 * Bearer auth with Stripe's error body on a bad key, and one 429 (rate_limit) first when asked. Pages
 * hold 3 subscriptions unless told otherwise, so tests see pagination with few of them.
 */
export async function openStripeStandIn(
  subs: FakeSub[],
  key: string,
  opts: { rateLimitFirst?: boolean; pageSize?: number } = {},
): Promise<StandIn> {
  let limited = opts.rateLimitFirst ?? false;
  return openStandIn((url, req) => {
    const json = { "content-type": "application/json", "request-id": "req_standin" };
    if (req.headers.authorization !== `Bearer ${key}`) {
      return {
        status: 401,
        headers: json,
        body: JSON.stringify({
          error: {
            type: "invalid_request_error",
            message: `Invalid API Key provided: ${String(req.headers.authorization).slice(7, 15)}****`,
          },
        }),
      };
    }
    if (limited) {
      limited = false;
      return {
        status: 429,
        headers: { ...json, "stripe-should-retry": "true" },
        body: JSON.stringify({
          error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests" },
        }),
      };
    }
    const items = subs.flatMap((s) => s.items.map((i, n) => ({ i, id: `co_si_${s.id}_${n}` })));
    const retrieved = /^\/v1\/(prices|coupons)\/([\w-]+)$/.exec(url.pathname);
    const price =
      retrieved?.[1] === "prices" ? items.find(({ i }) => priceId(i) === retrieved[2]) : undefined;
    if (price) {
      const expand = [...url.searchParams].some(([k, v]) => k.startsWith("expand") && v === "tiers");
      return { headers: json, body: JSON.stringify(stripePrice(price.i, expand)) };
    }
    const coupon = retrieved?.[1] === "coupons" ? items.find(({ id }) => id === retrieved[2]) : undefined;
    if (coupon?.i.coupon)
      return { headers: json, body: JSON.stringify(stripeCoupon(coupon.id, coupon.i.coupon)) };
    if (url.pathname === "/v1/events") {
      const gte = Number(url.searchParams.get("created[gte]") ?? 0);
      const type = url.searchParams.get("type");
      const events = subs
        .flatMap(subscriptionEvents)
        .filter((e) => e.created >= gte && (!type || e.type === type))
        .sort((a, b) => b.created - a.created);
      return {
        headers: json,
        body: JSON.stringify({ object: "list", url: "/v1/events", has_more: false, data: events }),
      };
    }
    if (url.pathname !== "/v1/subscriptions")
      return {
        status: 404,
        headers: json,
        body: JSON.stringify({
          error: { type: "invalid_request_error", message: "Unrecognized request URL" },
        }),
      };
    const expandItemDiscounts = [...url.searchParams].some(
      ([k, v]) => k.startsWith("expand") && v === "data.items.data.discounts",
    );
    const all = subs.map((s) => stripeSubscription(s, expandItemDiscounts));
    const limit = Math.min(opts.pageSize ?? 3, Number(url.searchParams.get("limit") ?? 10));
    const after = url.searchParams.get("starting_after");
    const from = after ? all.findIndex((s) => s.id === after) + 1 : 0;
    const data = all.slice(from, from + limit);
    return {
      headers: json,
      body: JSON.stringify({
        object: "list",
        url: "/v1/subscriptions",
        has_more: from + limit < all.length,
        data,
      }),
    };
  });
}
