import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollStripe, stripeConnector } from "../../../src/connectors/stripe/index.ts";
import { STRIPE_METRICS } from "../../../src/connectors/stripe/stripe-config.ts";
import { testSource } from "../../../src/connectors/test-source.ts";
import type { KpiDefinition } from "../../../src/kpi/definition.ts";
import type { Sample } from "../../../src/kpi/sample.ts";
import type { StandIn } from "../http-csv/stand-in.ts";
import { type FakeSub, openStripeStandIn } from "./stripe-stand-in.ts";

const KEY = "rk_test_51Hx0000000000000000004242";

/**
 * ChartMogul's worked example (help article "MRR movements"): Syncalytics buys four Gold yearly plans
 * ($500 each: $2,000 a year), adds two Silver monthly plans ($30 each), cancels Silver, lets Gold end,
 * then comes back on three Gold monthly plans ($50 each).
 */
const CHARTMOGUL: FakeSub[] = [
  {
    id: "sub_gold_yearly",
    customer: "cus_syncalytics",
    items: [{ amount: 50000, interval: "year", quantity: 4 }],
    start: "2025-01-05",
    endedAt: "2026-01-05",
  },
  {
    id: "sub_silver",
    customer: "cus_syncalytics",
    items: [{ amount: 3000, interval: "month", quantity: 2 }],
    start: "2025-01-09",
    endedAt: "2025-01-23",
  },
  {
    id: "sub_gold_monthly",
    customer: "cus_syncalytics",
    items: [{ amount: 5000, interval: "month", quantity: 3 }],
    start: "2026-02-01",
  },
];

/** Baremetrics' examples ("Monthly Recurring Revenue", "6 mistakes...") and Stripe's coupon durations. */
const BAREMETRICS: FakeSub[] = [
  {
    id: "sub_annual",
    customer: "cus_annual",
    items: [{ amount: 12000, interval: "year" }],
    start: "2025-03-01",
  }, // $120/yr: $10
  {
    id: "sub_half",
    customer: "cus_half",
    items: [{ amount: 1000, interval: "month" }],
    start: "2025-03-01",
    coupon: { percent_off: 50, duration: "forever" },
  }, // $5
  {
    id: "sub_free",
    customer: "cus_free",
    items: [{ amount: 1000, interval: "month" }],
    start: "2025-03-01",
    coupon: { percent_off: 100, duration: "forever" },
  }, // a free user
  {
    id: "sub_weekly",
    customer: "cus_weekly",
    items: [{ amount: 1000, interval: "week" }],
    start: "2025-03-01",
  }, // $10 x 52 / 12
  {
    id: "sub_repeating",
    customer: "cus_repeat",
    items: [{ amount: 10000, interval: "month" }],
    start: "2025-03-01",
    coupon: { percent_off: 20, duration: "repeating", months: 3, end: "2025-06-01" },
  },
  {
    id: "sub_once",
    customer: "cus_once",
    items: [{ amount: 20000, interval: "month" }],
    start: "2025-03-01",
    coupon: { amount_off: 5000, duration: "once" },
  },
  {
    id: "sub_metered",
    customer: "cus_annual",
    items: [{ amount: 2, interval: "month", usage: "metered" }],
    start: "2025-03-01",
  },
  {
    id: "sub_trial_converted",
    customer: "cus_trial",
    items: [{ amount: 4900, interval: "month" }],
    start: "2025-03-01",
    trialEnd: "2025-03-15",
  },
  {
    id: "sub_trialing",
    customer: "cus_trialing",
    items: [{ amount: 4900, interval: "month" }],
    start: "2026-02-20",
    trialEnd: "2026-03-06",
  },
  {
    id: "sub_incomplete",
    customer: "cus_never",
    items: [{ amount: 9900, interval: "month" }],
    start: "2025-03-01",
    status: "incomplete_expired",
  },
];

const kpis = STRIPE_METRICS.map(
  (metric) => ({ slug: metric, aggregation: { kind: "sum" }, query: { metric } }) as unknown as KpiDefinition,
);

let api: StandIn;
let samples: Sample[];
const value = (kpi: string, day: string) => samples.find((s) => s.kpi === kpi && s.day === day)?.value;
const total = (kpi: string, from: string, to: string) =>
  Math.round(
    samples
      .filter((s) => s.kpi === kpi && s.day >= from && s.day <= to)
      .reduce((a, s) => a + (s.value ?? 0), 0) * 100,
  ) / 100;

function request(overrides: Partial<Parameters<typeof pollStripe>[0]> = {}) {
  return {
    source: {
      name: "billing",
      kind: "stripe" as const,
      schedule: "0 * * * *",
      config: { currency: "usd", api_base: api.url },
      secret_env: "STRIPE_KEY",
    },
    kpis,
    since: "2024-12-01",
    until: "2026-02-28",
    timezone: "UTC",
    secret: KEY,
    fetch,
    ...overrides,
  };
}

beforeAll(async () => {
  api = await openStripeStandIn([...CHARTMOGUL, ...BAREMETRICS], KEY, { rateLimitFirst: true });
  samples = await pollStripe(request());
});
afterAll(async () => {
  await api?.close();
});

describe("Stripe MRR through the official client, against a stand-in speaking Stripe's list shapes", () => {
  it("pages through every subscription (cancelled ones too) after a 429", () => {
    const lists = api.requests.filter((r) => r.path.startsWith("/v1/subscriptions"));
    expect(lists.length).toBeGreaterThanOrEqual(5); // 13 subscriptions, 3 a page, plus the rate-limited try
    expect(lists.some((r) => r.path.includes("starting_after=sub_"))).toBe(true);
    expect(lists[0]?.path).toContain("status=all");
  });

  it("follows ChartMogul's Syncalytics example movement by movement", () => {
    expect(value("new_mrr", "2025-01-05")).toBe(166.67); // $2,000 / 12
    expect(value("expansion_mrr", "2025-01-09")).toBe(60); // a second subscription of an existing customer
    expect(value("contraction_mrr", "2025-01-23")).toBe(60); // cancelling one of two subscriptions
    expect(value("churned_mrr", "2026-01-05")).toBe(166.67); // the last subscription ends
    expect(value("churned_customers", "2026-01-05")).toBe(1);
    expect(value("reactivation_mrr", "2026-02-01")).toBe(150); // a former customer comes back
    expect(value("new_customers", "2026-02-01")).toBe(0);
  });

  it("normalises intervals, applies coupons as their durations say, and leaves trials and free users out", () => {
    // 2025-03-01: annual 10 + half-off 5 + weekly 43.33 + repeating 80 + once 150 (free, metered, trialing: 0)
    expect(value("new_mrr", "2025-03-01")).toBe(288.33);
    expect(value("new_customers", "2025-03-01")).toBe(5);
    expect(value("new_mrr", "2025-03-15")).toBe(49); // the trial converts
    expect(value("expansion_mrr", "2025-04-01")).toBeCloseTo(50, 2); // the once coupon covered one month
    expect(value("expansion_mrr", "2025-06-01")).toBe(20); // the repeating coupon ends after 3 months
    expect(value("mrr", "2025-06-01")).toBeCloseTo(166.67 + 10 + 5 + 43.33 + 100 + 200 + 49, 2);
    expect(value("customers", "2025-06-01")).toBe(7);
    // Still trialing at the end: no MRR, not a customer.
    expect(value("mrr", "2026-02-28")).toBeCloseTo(150 + 10 + 5 + 43.33 + 100 + 200 + 49, 2);
  });

  it("keeps MRR equal to the sum of its movements", () => {
    const net =
      total("new_mrr", "2024-12-01", "2026-02-28") +
      total("expansion_mrr", "2024-12-01", "2026-02-28") +
      total("reactivation_mrr", "2024-12-01", "2026-02-28") -
      total("contraction_mrr", "2024-12-01", "2026-02-28") -
      total("churned_mrr", "2024-12-01", "2026-02-28");
    expect(Math.round(net * 100) / 100).toBe(value("mrr", "2026-02-28"));
  });

  it("reads a short range with the history before it (an incremental poll)", async () => {
    const recent = await pollStripe(request({ since: "2026-02-27", until: "2026-02-28" }));
    expect(recent.find((s) => s.kpi === "mrr" && s.day === "2026-02-27")?.value).toBe(
      value("mrr", "2026-02-27"),
    );
    expect(recent.filter((s) => s.kpi === "mrr")).toHaveLength(2);
  });

  it("says a rejected key is rejected, showing it masked", async () => {
    const wrong = "rk_live_51Hxwrongwrongwrong9999";
    const e = await pollStripe(request({ secret: wrong })).catch((x: Error) => x);
    expect((e as Error).message).toBe(
      'Stripe source "billing": Stripe rejected the API key rk_live_...9999.',
    );
    expect((e as Error).message).not.toContain("wrongwrong");
  });

  it("refuses a secret that is not a Stripe key before calling Stripe", async () => {
    await expect(pollStripe(request({ secret: "postgres://u:p@h/db" }))).rejects.toThrow("has no API key");
  });
});

describe("tiered prices and item-level discounts", () => {
  const subs: FakeSub[] = [
    {
      id: "sub_volume",
      customer: "cus_volume",
      // Volume: all 10 seats at the second tier's $8, plus its $5 flat fee: $85.
      items: [
        {
          amount: 0,
          interval: "month",
          quantity: 10,
          tiers: {
            mode: "volume",
            tiers: [
              { up_to: 5, unit_amount: 1000 },
              { up_to: null, unit_amount: 800, flat_amount: 500 },
            ],
          },
        },
      ],
      start: "2025-03-01",
    },
    {
      id: "sub_graduated",
      customer: "cus_graduated",
      // Graduated: 5 seats at $10 plus the first tier's $2 flat fee, 3 more at $8 (annual / 12): $76.
      items: [
        {
          amount: 1,
          interval: "year",
          quantity: 8,
          tiers: {
            mode: "graduated",
            tiers: [
              { up_to: 5, unit_amount: 12000, flat_amount: 2400 },
              { up_to: null, unit_amount: 9600 },
            ],
          },
        },
      ],
      start: "2025-03-01",
    },
    {
      id: "sub_items",
      customer: "cus_items",
      // $100 less its item's 25 % ($75), plus $20, then the subscription's $10 off: $85; the item's
      // repeating coupon ends on 2025-05-01: $105 from then.
      items: [
        {
          amount: 10000,
          interval: "month",
          coupon: { percent_off: 25, duration: "repeating", months: 2, end: "2025-05-01" },
        },
        { amount: 2000, interval: "month" },
      ],
      start: "2025-03-01",
      coupon: { amount_off: 1000, duration: "forever" },
    },
  ];
  let tiered: StandIn;
  let out: Sample[];
  const at = (kpi: string, day: string) => out.find((s) => s.kpi === kpi && s.day === day)?.value;
  beforeAll(async () => {
    tiered = await openStripeStandIn(subs, KEY);
    out = await pollStripe({
      ...request({ since: "2025-02-28", until: "2025-05-02" }),
      source: { ...request().source, config: { currency: "usd", api_base: tiered.url } },
    });
  });
  afterAll(async () => {
    await tiered?.close();
  });

  it("counts a tiered price from its tiers (volume and graduated) and item discounts before the subscription's", () => {
    expect(at("new_mrr", "2025-03-01")).toBe(85 + 76 + 85);
    expect(at("mrr", "2025-04-30")).toBe(246);
    expect(at("expansion_mrr", "2025-05-01")).toBe(25);
    expect(at("mrr", "2025-05-01")).toBe(271);
    const paths = tiered.requests.map((r) => decodeURIComponent(r.path));
    // Each price's tiers and each item coupon are fetched once per poll.
    expect(paths.filter((p) => p.startsWith("/v1/prices/")).sort()).toEqual([
      "/v1/prices/price_tiered_graduated_1?expand[0]=tiers",
      "/v1/prices/price_tiered_volume_0?expand[0]=tiers",
    ]);
    expect(paths.filter((p) => p.startsWith("/v1/coupons/"))).toEqual(["/v1/coupons/co_si_sub_items_0"]);
  });
});

describe("in-place item changes from the last 30 days of events", () => {
  const seats = (quantity: number) => ({ amount: 1000, interval: "month" as const, quantity });
  const addOn = { amount: 2000, interval: "month" as const };
  const subs: FakeSub[] = [
    {
      id: "sub_changed",
      customer: "cus_changed",
      // Today: 5 seats. On 2025-04-20 it went from 3 seats to 5; on 2025-04-25 the add-on was removed.
      items: [seats(5)],
      start: "2025-03-01",
      changes: [
        { at: "2025-04-20", before: [seats(3), addOn] },
        { at: "2025-04-25", before: [seats(5), addOn] },
        // Older than Stripe keeps events: never asked for.
        { at: "2025-03-10", before: [seats(1), addOn] },
      ],
    },
  ];
  let changed: StandIn;
  let out: Sample[];
  const at = (kpi: string, day: string) => out.find((s) => s.kpi === kpi && s.day === day)?.value;
  beforeAll(async () => {
    changed = await openStripeStandIn(subs, KEY);
    out = await pollStripe({
      ...request({ since: "2025-03-01", until: "2025-05-01", now: new Date("2025-05-02T06:00:00Z") }),
      source: { ...request().source, config: { currency: "usd", api_base: changed.url } },
    });
  });
  afterAll(async () => {
    await changed?.close();
  });

  it("dates an upgrade and a removed item on the day they happened, and keeps MRR the sum of its movements", () => {
    expect(at("new_mrr", "2025-03-01")).toBe(50); // 3 seats and the add-on, as before the changes
    expect(at("expansion_mrr", "2025-04-20")).toBe(20);
    expect(at("contraction_mrr", "2025-04-25")).toBe(20);
    expect(at("mrr", "2025-05-01")).toBe(50);
    const sum = (kpi: string) => out.filter((s) => s.kpi === kpi).reduce((a, s) => a + (s.value ?? 0), 0);
    expect(sum("new_mrr") + sum("expansion_mrr") - sum("contraction_mrr")).toBe(at("mrr", "2025-05-01"));
    const asked = changed.requests
      .map((r) => decodeURIComponent(r.path))
      .find((p) => p.startsWith("/v1/events"));
    expect(asked).toContain("type=customer.subscription.updated");
    expect(asked).toContain(`created[gte]=${Date.parse("2025-04-02T06:00:00Z") / 1000}`);
  });
});

describe("a source test of Stripe", () => {
  it("lists the subscriptions once for all its KPIs, and reports each KPI", async () => {
    const before = api.requests.length;
    const results = await testSource(
      stripeConnector,
      { ...request(), kpis: kpis.slice(0, 3), until: "2026-02-28" },
      3,
      60_000,
    );
    expect(results).toEqual(
      kpis.slice(0, 3).map((k) => ({ kpi: k.slug, ok: true, samples: 3, lastDay: "2026-02-28" })),
    );
    const pages = api.requests.slice(before).filter((r) => r.path.startsWith("/v1/subscriptions"));
    expect(pages).toHaveLength(Math.ceil((CHARTMOGUL.length + BAREMETRICS.length) / 3));
  });
});
