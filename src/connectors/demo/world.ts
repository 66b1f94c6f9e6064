import { Rng } from "./random.ts";

/**
 * The synthetic company behind the demo source: a B2B analytics product with a free trial and three
 * paid plans. Trends are written relative to the anchor day (the last day of the story) so that the
 * incidents always sit at the end of history, whatever today is.
 */
export interface DemoWorld {
  readonly seed: number;
  /** Day number (days since 1970-01-01) of the anchor. */
  readonly anchor: number;
  /** A draw stream for one family of numbers on one day; the same key always gives the same draws. */
  rng(family: string, day: number, extra?: string): Rng;
  /** Per-poll cache, so series that share a day's state (churn, customers, MRR) compute it once. */
  memo<T>(key: string, compute: () => T): T;
}

export function createWorld(seed: number, anchor: number): DemoWorld {
  const cache = new Map<string, unknown>();
  return {
    seed,
    anchor,
    rng: (family, day, extra = "") => new Rng(`${seed}|${family}|${day}|${extra}`),
    memo<T>(key: string, compute: () => T): T {
      if (cache.has(key)) return cache.get(key) as T;
      const value = compute();
      cache.set(key, value);
      return value;
    },
  };
}

export const PLANS = ["starter", "pro", "business"] as const;
export type Plan = (typeof PLANS)[number];
export const PLAN_PRICE: Record<Plan, number> = { starter: 49, pro: 149, business: 499 };
/** Share of paying customers on each plan. */
export const PLAN_MIX: Record<Plan, number> = { starter: 0.55, pro: 0.35, business: 0.1 };
/** Share of new trials that pick each plan. */
export const TRIAL_MIX: readonly number[] = [0.6, 0.3, 0.1];
/** Monthly customer churn hazard per plan, before incidents. */
export const PLAN_MONTHLY_CHURN: Record<Plan, number> = { starter: 0.024, pro: 0.013, business: 0.006 };

/** Customer-success managers and the share of the customer base each one owns. */
export const OWNERS = [
  { name: "Dana Ruiz", share: 0.22 },
  { name: "Priya Nair", share: 0.2 },
  { name: "Marcus Webb", share: 0.2 },
  { name: "Sofia Lindqvist", share: 0.2 },
  { name: "Kenji Watanabe", share: 0.18 },
] as const;
/** The owner whose book of business is losing customers at the end of history. */
export const STRUGGLING_OWNER = "Marcus Webb";

/** Length of the end-of-history incidents (activation slide, churn spike), in days. */
export const INCIDENT_DAYS = 21;

/** Days from the anchor: 0 on the anchor, negative before it. */
export function offset(world: DemoWorld, day: number): number {
  return day - world.anchor;
}

/** Exponential growth at `annualRate`, equal to 1 on the anchor. */
export function growth(d: number, annualRate: number): number {
  return Math.exp((annualRate * d) / 365);
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekday(day);
  return w === 0 || w === 6;
}

/** Business-to-business traffic: a gentle summer lull (deepest early August) and the year-end holidays. */
export function seasonality(day: number): number {
  const date = new Date(day * 86_400_000);
  const month = date.getUTCMonth() + 1;
  const dom = date.getUTCDate();
  if ((month === 12 && dom >= 22) || (month === 1 && dom <= 2)) return 0.72;
  const dayOfYear = day - Math.round(Date.UTC(date.getUTCFullYear(), 0, 1) / 86_400_000);
  return 1 - 0.08 * Math.exp(-(((dayOfYear - 213) / 25) ** 2));
}

export function customerBase(d: number): number {
  return 1250 * growth(d, 0.28);
}
