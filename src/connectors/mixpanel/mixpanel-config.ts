import { z } from "zod";
import { pollOptionsShape } from "../common/poll-options.ts";

/** Query API hosts by data residency. */
export const MIXPANEL_HOSTS = {
  us: "https://mixpanel.com/api/query",
  eu: "https://eu.mixpanel.com/api/query",
  in: "https://in.mixpanel.com/api/query",
} as const;

/** The Mixpanel source's `config`; the service account (username and secret, as JSON) is its secret. */
export const mixpanelConfigSchema = z
  .object({
    project_id: z.union([z.string().regex(/^\d+$/), z.number().int().positive()]).transform(String),
    region: z.enum(["us", "eu", "in"]).default("us"),
    /** Another Query API base than the region's (a local stand-in in tests). */
    api_base: z.url().optional(),
    ...pollOptionsShape,
  })
  .strict();
export type MixpanelConfig = z.infer<typeof mixpanelConfigSchema>;

/**
 * A Mixpanel KPI's `query`: an event's daily count (all or unique users), a saved funnel's conversion, or
 * the share of each sign-up day's accounts that met a composite activation rule.
 */
export const mixpanelQuerySchema = z.union([
  z
    .object({
      /** The rule, as text ("1+ data_source_connected AND 2+ dashboard_viewed within 7 days") or an object. */
      activation: z.unknown(),
      /** The event that starts an account's trial; its first day is the account's sign-up day. */
      signup_event: z.string().min(1),
      /** The event property that names the account, on the sign-up event and on every rule event. */
      account_property: z.string().min(1).default("account_id"),
      /** A segmentation expression narrowing every query (e.g. to trial accounts). */
      where: z.string().min(1).optional(),
      /** Split the cohorts by a property of the sign-up event; its values become segments `<as>:<value>`. */
      breakdown: z
        .object({ property: z.string().min(1), as: z.string().min(1) })
        .strict()
        .optional(),
    })
    .strict(),
  z
    .object({
      event: z.string().min(1),
      /** `general`: every event; `unique`: distinct users per day. */
      type: z.enum(["general", "unique"]).default("general"),
      /** Mixpanel's segmentation expression, e.g. `properties["plan"] == "pro"`. */
      where: z.string().min(1).optional(),
      /** Split by an event property; its values become segments `<as>:<value>`. */
      breakdown: z
        .object({ property: z.string().min(1), as: z.string().min(1) })
        .strict()
        .optional(),
    })
    .strict(),
  z.object({ funnel_id: z.number().int().positive() }).strict(),
  z
    .object({
      /** A saved Insights report (its bookmark id, from the report's URL), computed by day. */
      insights_report: z.number().int().positive(),
      /** Which of the report's series (its metric's name); needed when the report has more than one. */
      series: z.string().min(1).optional(),
    })
    .strict(),
]);
export type MixpanelQuery = z.infer<typeof mixpanelQuerySchema>;

export const serviceAccountSecretSchema = z.object({
  username: z.string().min(1),
  secret: z.string().min(1),
});
