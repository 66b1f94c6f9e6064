import { z } from "zod";
import { pollOptionsShape } from "../common/poll-options.ts";

export const GA4_SCOPE = "https://www.googleapis.com/auth/analytics.readonly";

/** The GA4 source's `config`; the service account's JSON key is the source's secret. */
export const ga4ConfigSchema = z
  .object({
    /** The numeric GA4 property id (Admin > Property details), not the G- measurement id. */
    property_id: z.string().regex(/^\d+$/, "the numeric property id, e.g. 123456789"),
    /** Other endpoints than Google's (a proxy, or local stand-ins in tests). */
    api_base: z.url().default("https://analyticsdata.googleapis.com"),
    token_uri: z.url().optional(),
    /** Store sampled or thresholded numbers instead of failing the poll. */
    accept_sampled: z.boolean().default(false),
    accept_thresholded: z.boolean().default(false),
    ...pollOptionsShape,
  })
  .strict();
export type Ga4Config = z.infer<typeof ga4ConfigSchema>;

const name = z.string().regex(/^[A-Za-z][\w:]*$/, "a GA4 API name such as newUsers or customEvent:plan");

/** A GA4 KPI's `query`: a metric (count / sum / latest), or numerator and denominator (ratio / mean). */
export const ga4QuerySchema = z
  .object({
    metric: name.optional(),
    numerator: name.optional(),
    denominator: name.optional(),
    /** Split by a GA4 dimension; its values become segments `<as>:<value>` (`as` is one of the KPI's dimensions). */
    breakdown: z
      .object({ dimension: name, as: z.string().min(1) })
      .strict()
      .optional(),
    /** A Data API FilterExpression, passed as is (e.g. only sessions from one country). */
    dimension_filter: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type Ga4Query = z.infer<typeof ga4QuerySchema>;
