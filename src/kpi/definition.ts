import { z } from "zod";
import { stageSchema } from "./stage.ts";
import { ruleStatusSchema } from "./status.ts";
import { windowSchema } from "./window.ts";

/** Lower-case slug: letters, digits and underscores, starting with a letter. Used in commands and formulas. */
export const slugSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, "a slug is lower-case letters, digits and _ and starts with a letter");

export const unitSchema = z.enum(["count", "percent", "currency", "score", "ratio", "days", "number"]);
export type Unit = z.infer<typeof unitSchema>;

/** up: higher is better (activation); down: lower is better (churn). */
export const directionSchema = z.enum(["up", "down"]);
export type Direction = z.infer<typeof directionSchema>;

const scaleSchema = z
  .object({ min: z.number().int(), max: z.number().int() })
  .refine((s) => s.max > s.min, { message: "scale.max must be greater than scale.min" });

/**
 * How a KPI turns daily samples into one window value. Declared as data; there is no code per KPI.
 * - count, sum: sum of daily `value`
 * - ratio: sum(num) / sum(den) x scale (scale 100 for percent); `denominator: first` divides by the
 *   denominator of the window's first day with data (e.g. customers at the start of the period)
 * - mean: sum(num) / sum(den) (sum of scores / number of scores)
 * - latest: the last daily `value` in the window (stocks such as MRR or active customers)
 * - distribution: histogram of scores within `scale`, reduced by `statistic`
 *   (nps: % of scores >= promoter_min minus % <= detractor_max; top_box: % of scores >= positive_min; mean)
 * - formula: an arithmetic expression over other KPIs' window values (`arr = mrr * 12`);
 *   `start(slug)` is a KPI's value on the first day of the window, `min(a, b)` / `max(a, b)` are allowed
 */
export const aggregationSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("count") }),
  z.object({ kind: z.literal("sum") }),
  z.object({
    kind: z.literal("ratio"),
    scale: z.number().positive().default(1),
    denominator: z.enum(["sum", "first"]).default("sum"),
  }),
  z.object({ kind: z.literal("mean") }),
  z.object({ kind: z.literal("latest") }),
  z.object({
    kind: z.literal("distribution"),
    scale: scaleSchema,
    statistic: z.enum(["nps", "top_box", "mean"]),
    promoter_min: z.number().int().optional(),
    detractor_max: z.number().int().optional(),
    positive_min: z.number().int().optional(),
  }),
  z.object({ kind: z.literal("formula"), expression: z.string().min(1) }),
]);
export type Aggregation = z.infer<typeof aggregationSchema>;

/**
 * Threshold rules are checked in order; the first that matches gives the status, and a value no rule
 * matches is green. A rule with `window` applies only to that window.
 */
export const thresholdRuleSchema = z
  .object({
    status: ruleStatusSchema,
    below: z.number().finite().optional(),
    above: z.number().finite().optional(),
    window: windowSchema.optional(),
  })
  .strict()
  .refine((r) => (r.below === undefined) !== (r.above === undefined), {
    message: "a threshold rule needs exactly one of `below` or `above`",
  });
export type ThresholdRule = z.infer<typeof thresholdRuleSchema>;

/**
 * Flap control: a new status is taken only after `pending` days of data in a row moved that way, and a
 * recovery (to a better status) only once the value clears the threshold by `recovery_margin`
 * (in the KPI's unit; percentage points for percent KPIs).
 */
export const flapControlSchema = z
  .object({
    pending: z.number().int().min(1).max(100).default(1),
    recovery_margin: z.number().min(0).default(0),
  })
  .strict();
export type FlapControl = z.infer<typeof flapControlSchema>;

export const targetPeriodSchema = z.enum(["week", "month", "quarter"]);
export type TargetPeriod = z.infer<typeof targetPeriodSchema>;

/**
 * A goal for a calendar period. For count / sum KPIs the value is the total to reach by the period's end
 * (pacing compares the period-to-date total with the elapsed share); for rates, means and stocks it is the
 * level to be at.
 */
export const targetSchema = z
  .object({
    period: targetPeriodSchema,
    value: z.number().finite(),
    /** Optional: the target applies from this day (YYYY-MM-DD); the latest applicable one wins. */
    from: z.iso.date().optional(),
  })
  .strict();
export type Target = z.infer<typeof targetSchema>;

export const numberFormatSchema = z
  .object({
    decimals: z.number().int().min(0).max(6).optional(),
    currency: z.string().length(3).optional(),
    compact: z.boolean().optional(),
  })
  .strict();
export type NumberFormat = z.infer<typeof numberFormatSchema>;

/** Anomaly detection settings: sensitivity is the robust z-score (MAD units) that counts as unusual. */
export const anomalySchema = z
  .object({
    enabled: z.boolean().default(true),
    sensitivity: z.number().positive().default(3.5),
  })
  .strict();

/** Forecast-to-threshold settings (Theil-Sen over the last `lookback_days`). */
export const forecastSchema = z
  .object({
    enabled: z.boolean().default(true),
    lookback_days: z.number().int().min(7).max(180).default(28),
    horizon_days: z.number().int().min(1).max(90).default(14),
  })
  .strict();

export const kpiDefinitionSchema = z
  .object({
    slug: slugSchema,
    name: z.string().min(1).max(80),
    description: z.string().max(500).optional(),
    aliases: z.array(z.string().min(1).max(60)).default([]),
    stage: stageSchema,
    unit: unitSchema,
    direction: directionSchema,
    aggregation: aggregationSchema,
    windows: z.array(windowSchema).min(1).default(["7d", "28d"]),
    default_window: windowSchema.optional(),
    source: z.string().min(1).optional(),
    /** Connector-specific query (a SQL statement, a GA4 metric, a demo series name...). */
    query: z.record(z.string(), z.unknown()).default({}),
    /** Dimensions the source can split this KPI by (owner, plan, segment, region...). */
    dimensions: z.array(slugSchema).default([]),
    format: numberFormatSchema.default({}),
    thresholds: z.array(thresholdRuleSchema).default([]),
    flap: flapControlSchema.default({ pending: 1, recovery_margin: 0 }),
    targets: z.array(targetSchema).default([]),
    anomaly: anomalySchema.default({ enabled: true, sensitivity: 3.5 }),
    forecast: forecastSchema.default({ enabled: true, lookback_days: 28, horizon_days: 14 }),
    owner: z.string().max(80).optional(),
  })
  .strict();
export type KpiDefinition = z.infer<typeof kpiDefinitionSchema>;
export type KpiDefinitionInput = z.input<typeof kpiDefinitionSchema>;

export function defaultWindow(def: Pick<KpiDefinition, "default_window" | "windows">): string {
  return def.default_window ?? def.windows[def.windows.length - 1] ?? "28d";
}
