import type Stripe from "stripe";
import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError } from "../../errors.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import { maskSecret } from "../../redact.ts";
import { zodIssues } from "../common/config-issues.ts";
import type { Connector, ConnectorIssue, PollRequest } from "../connector.ts";
import { dailyMetrics } from "./mrr-movements.ts";
import {
  METRIC_AGGREGATION,
  type StripeConfig,
  type StripeMetric,
  stripeConfigSchema,
  stripeQuerySchema,
} from "./stripe-config.ts";
import {
  type DiscountLike,
  type ItemLike,
  type MrrPiece,
  type SubscriptionLike,
  subscriptionPieces,
  type TierLike,
  type TierMode,
  UnsupportedSubscription,
} from "./subscription-mrr.ts";

const STRIPE_KEY = /^(sk|rk)_(live|test)_\w+$/;

function failed(message: string, hint: string, cause?: unknown): ClgError {
  return new ClgError("clg_source_failed", message, { hint, cause });
}

function validateStripe(source: SourceDefinition, kpis: readonly KpiDefinition[]): ConnectorIssue[] {
  const parsed = stripeConfigSchema.safeParse(source.config);
  const issues = parsed.success ? [] : zodIssues(parsed.error, "source", "config");
  for (const kpi of kpis) {
    const q = stripeQuerySchema.safeParse(kpi.query);
    if (!q.success) {
      issues.push(...zodIssues(q.error, { kpi: kpi.slug }, "query"));
      continue;
    }
    const allowed = METRIC_AGGREGATION[q.data.metric];
    if (!allowed.includes(kpi.aggregation.kind)) {
      issues.push({
        on: { kpi: kpi.slug },
        at: ["aggregation", "kind"],
        message: `Stripe's ${q.data.metric} needs aggregation kind ${allowed.map((a) => `"${a}"`).join(" or ")}, not "${kpi.aggregation.kind}"`,
      });
    }
  }
  return issues;
}

/**
 * The client, pointed at `api_base` when the catalog names one, sending its requests with the fetch handed
 * in. The package loads on first use, so commands that never poll Stripe do not pay for it.
 */
export async function stripeClient(
  key: string,
  config: StripeConfig,
  fetchFn: typeof fetch,
): Promise<Stripe> {
  const { default: Stripe } = await import("stripe");
  const base = config.api_base ? new URL(config.api_base) : null;
  return new Stripe(key, {
    httpClient: Stripe.createFetchHttpClient(fetchFn),
    maxNetworkRetries: 3,
    timeout: 30_000,
    telemetry: false,
    appInfo: { name: "clg-bot" },
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? 443 : 80),
          protocol: base.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}

/** Stripe's error in words an admin can act on; the key appears masked (`rk_live_...4242`) at most. */
function stripeFailed(e: unknown, source: string, key: string): ClgError {
  const err = e as { type?: string; statusCode?: number; message?: string };
  const what = `Stripe source "${source}"`;
  switch (err.type) {
    case "StripeAuthenticationError":
      return failed(
        `${what}: Stripe rejected the API key ${maskSecret(key)}.`,
        "Create a restricted key with read access to Subscriptions, set it in the source's secret_env and apply the catalog again.",
        e,
      );
    case "StripePermissionError":
      return failed(
        `${what}: the API key ${maskSecret(key)} may not read what MRR needs (${err.message}).`,
        "Give the restricted key Read on Subscriptions (Billing), Customers, Products and Prices, Coupons and Events.",
        e,
      );
    case "StripeRateLimitError":
      return failed(
        `${what}: Stripe's rate limit was reached (429) after retries.`,
        "The next poll tries again; poll less often if this repeats.",
        e,
      );
    case "StripeConnectionError":
      return failed(
        `${what}: Stripe could not be reached: ${err.message}`,
        "Check the network; the next poll tries again.",
        e,
      );
    default:
      return failed(
        `${what}: Stripe answered ${err.statusCode ?? "an error"}: ${err.message ?? String(e)}`,
        "Check Stripe's status page; the next poll tries again.",
        e,
      );
  }
}

/** Calls `load` once per id; later calls share the first answer. */
function once<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (id) => {
    const known = seen.get(id);
    if (known) return known;
    const loading = load(id);
    seen.set(id, loading);
    return loading;
  };
}

/**
 * What the subscription list cannot carry (Stripe expands at most four levels deep): the tiers of a tiered
 * price (`prices.retrieve` with `expand: ["tiers"]`) and the coupon of an item-level discount
 * (`coupons.retrieve`), each fetched once per poll.
 */
function referenceReader(stripe: Stripe) {
  const price = once((id) => stripe.prices.retrieve(id, { expand: ["tiers"] }));
  const coupon = once((id) => stripe.coupons.retrieve(id));
  const withTiers = async (item: ItemLike): Promise<ItemLike> => {
    const p = item.price;
    if (p.billing_scheme !== "tiered" || p.tiers) return item;
    const full = await price(p.id);
    return {
      ...item,
      price: { ...p, tiers_mode: full.tiers_mode as TierMode, tiers: (full.tiers ?? []) as TierLike[] },
    };
  };
  return async (sub: SubscriptionLike): Promise<SubscriptionLike> => {
    const items = await Promise.all(
      sub.items.data.map(async (item): Promise<ItemLike> => {
        const discounts = await Promise.all(
          (item.discounts ?? []).map(async (d) => {
            if (typeof d === "string") {
              throw new UnsupportedSubscription(
                `subscription ${sub.id} has item ${item.id} with discount ${d} that Stripe did not expand`,
              );
            }
            const ref = d.source?.coupon ?? d.coupon ?? null;
            return typeof ref === "string" ? { ...d, source: { coupon: await coupon(ref) } } : d;
          }),
        );
        return { ...(await withTiers(item)), discounts: discounts as DiscountLike[] };
      }),
    );
    // An event's earlier items name their discounts by id only: the item keeps today's discounts if it
    // still exists, and an item gone since is counted without its own.
    const earlier = await Promise.all(
      (sub.earlier_items ?? []).map(async (h) => ({
        until: h.until,
        items: await Promise.all(h.items.map(async (i) => ({ ...(await withTiers(i)), discounts: [] }))),
      })),
    );
    return { ...sub, items: { data: items }, earlier_items: earlier };
  };
}

/** Stripe keeps events for 30 days: the in-place item changes it can still tell. */
const EVENT_DAYS = 30;

/**
 * Each subscription's items before every in-place change of the last 30 days, from
 * `customer.subscription.updated` events whose `previous_attributes` hold `items`, oldest first.
 */
async function earlierItems(
  stripe: Stripe,
  now: Date,
): Promise<Map<string, { until: number; items: ItemLike[] }[]>> {
  const out = new Map<string, { until: number; items: ItemLike[] }[]>();
  const events = stripe.events.list({
    type: "customer.subscription.updated",
    created: { gte: Math.floor(now.getTime() / 1000) - EVENT_DAYS * 86_400 },
    limit: 100,
  });
  for await (const event of events) {
    const previous = event.data.previous_attributes as { items?: { data?: ItemLike[] } } | undefined;
    const sub = event.data.object as { id?: string };
    if (!previous?.items?.data || !sub.id) continue;
    const list = out.get(sub.id) ?? [];
    list.push({ until: event.created, items: previous.items.data });
    out.set(sub.id, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.until - b.until);
  return out;
}

/** One listing per poll: KPI groups of the same poll share the abort signal, and so the pieces. */
const listed = new WeakMap<AbortSignal, Promise<MrrPiece[]>>();

async function listPieces(request: PollRequest, config: StripeConfig, key: string): Promise<MrrPiece[]> {
  const pieces: MrrPiece[] = [];
  try {
    const stripe = await stripeClient(key, config, request.fetch);
    const complete = referenceReader(stripe);
    const changes = await earlierItems(stripe, request.now ?? new Date());
    const list = stripe.subscriptions.list({
      status: "all",
      limit: 100,
      expand: ["data.discounts.source.coupon", "data.items.data.discounts"],
    });
    for await (const sub of list) {
      if (sub.currency !== config.currency) {
        throw failed(
          `Stripe source "${request.source.name}": subscription ${sub.id} is billed in ${sub.currency.toUpperCase()}, and this source reports ${config.currency.toUpperCase()}.`,
          "Add a Stripe source per currency (config.currency) or keep one currency.",
        );
      }
      pieces.push(
        ...subscriptionPieces(
          await complete({
            ...(sub as unknown as SubscriptionLike),
            earlier_items: changes.get(sub.id) ?? [],
          }),
          request.timezone,
        ),
      );
    }
  } catch (e) {
    if (e instanceof ClgError) throw e;
    if (e instanceof UnsupportedSubscription)
      throw failed(
        `Stripe source "${request.source.name}": ${e.message}.`,
        "Per-unit prices and tiered prices (graduated or volume) are counted; change or remove this price.",
        e,
      );
    throw stripeFailed(e, request.source.name, key);
  }
  return pieces;
}

/**
 * MRR, its movements and paying-customer counts per day, rebuilt from every subscription Stripe holds
 * (cancelled ones included), so a backfill reaches back to the first subscription.
 */
export async function pollStripe(request: PollRequest): Promise<Sample[]> {
  const parsed = stripeConfigSchema.safeParse(request.source.config);
  if (!parsed.success) {
    const i = zodIssues(parsed.error, "source", "config")[0];
    throw failed(
      `The config of Stripe source "${request.source.name}" is not valid: ${i?.at.join(".")}: ${i?.message}.`,
      "Write config: { currency: usd }.",
    );
  }
  const key = request.secret?.trim() ?? "";
  if (!STRIPE_KEY.test(key)) {
    throw failed(
      `Stripe source "${request.source.name}" has no API key${key ? ` (the secret ${maskSecret(key)} is not a Stripe secret or restricted key)` : ""}.`,
      `Set ${request.source.secret_env ?? "secret_env"} to a restricted key (rk_live_...) and apply the catalog again.`,
    );
  }
  const metrics = request.kpis.flatMap((kpi) => {
    if (kpi.aggregation.kind === "formula") return [];
    const q = stripeQuerySchema.safeParse(kpi.query);
    if (!q.success)
      throw failed(
        `KPI "${kpi.slug}": query.metric must be one of the Stripe metrics.`,
        "Write query: { metric: mrr }.",
      );
    return [{ kpi: kpi.slug, metric: q.data.metric as StripeMetric }];
  });
  if (metrics.length === 0) return [];
  let pieces = request.signal ? listed.get(request.signal) : undefined;
  if (!pieces) {
    pieces = listPieces(request, parsed.data, key);
    if (request.signal) listed.set(request.signal, pieces);
  }
  const days = dailyMetrics(await pieces, request.since, request.until);
  const samples: Sample[] = [];
  for (const [day, d] of days) {
    for (const { kpi, metric } of metrics) {
      samples.push({ kpi, day, segment: "", value: d[metric], num: null, den: null, dist: null });
    }
  }
  return samples;
}

/** Stripe answers with its current state: a day is final once it has ended. */
export const stripeConnector: Connector = {
  kind: "stripe",
  needsSecret: true,
  completeLagHours: 0,
  validate: validateStripe,
  checkSecret: (secret) =>
    STRIPE_KEY.test(secret.trim())
      ? null
      : `is not a Stripe secret or restricted key (sk_live_... or rk_live_...); it is ${maskSecret(secret)}`,
  fetch: pollStripe,
};
