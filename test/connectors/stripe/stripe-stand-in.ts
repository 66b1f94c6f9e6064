import { openStandIn, type StandIn } from "../http-csv/stand-in.ts";

/** Seconds since the epoch at midnight UTC of a day. */
export const at = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

export interface FakeItem {
  amount: number;
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
  status?: string;
  coupon?: {
    percent_off?: number;
    amount_off?: number;
    duration: "once" | "repeating" | "forever";
    months?: number;
    end?: string;
  };
}

/** A subscription as Stripe's API returns it (the fields this source reads, and a few it does not). */
export function stripeSubscription(s: FakeSub) {
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
            source: {
              type: "coupon",
              coupon: {
                id: `co_${s.id}`,
                object: "coupon",
                percent_off: s.coupon.percent_off ?? null,
                amount_off: s.coupon.amount_off ?? null,
                currency: s.coupon.amount_off ? "usd" : null,
                duration: s.coupon.duration,
                duration_in_months: s.coupon.months ?? null,
                valid: true,
              },
            },
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
        price: {
          id: `price_${i.interval}_${i.amount}`,
          object: "price",
          active: true,
          billing_scheme: "per_unit",
          currency: "usd",
          type: "recurring",
          unit_amount: i.amount,
          unit_amount_decimal: String(i.amount),
          recurring: { interval: i.interval, interval_count: 1, usage_type: i.usage ?? "licensed" },
        },
      })),
    },
  };
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
  const all = subs.map(stripeSubscription);
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
    if (url.pathname !== "/v1/subscriptions")
      return {
        status: 404,
        headers: json,
        body: JSON.stringify({
          error: { type: "invalid_request_error", message: "Unrecognized request URL" },
        }),
      };
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
