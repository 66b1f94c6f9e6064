import { z } from "zod";
import { pollOptionsShape } from "../common/poll-options.ts";

/** The Stripe source's `config`; the restricted API key is the source's secret. */
export const stripeConfigSchema = z
  .object({
    /** The currency MRR is reported in; a subscription in another currency fails the poll. */
    currency: z
      .string()
      .regex(/^[a-z]{3}$/, "a lower-case ISO currency code such as usd")
      .default("usd"),
    /** Another API base than https://api.stripe.com (a proxy, or a local stand-in in tests). */
    api_base: z.url({ protocol: /^https?$/ }).optional(),
    ...pollOptionsShape,
  })
  .strict();
export type StripeConfig = z.infer<typeof stripeConfigSchema>;

export const STRIPE_METRICS = [
  "mrr",
  "new_mrr",
  "expansion_mrr",
  "contraction_mrr",
  "churned_mrr",
  "reactivation_mrr",
  "customers",
  "new_customers",
  "churned_customers",
] as const;
export type StripeMetric = (typeof STRIPE_METRICS)[number];

/** The aggregation each metric needs: stocks are `latest`, movements `sum` (or `count`), churn a ratio. */
export const METRIC_AGGREGATION: Record<StripeMetric, readonly string[]> = {
  mrr: ["latest"],
  customers: ["latest"],
  new_mrr: ["sum"],
  expansion_mrr: ["sum"],
  contraction_mrr: ["sum"],
  churned_mrr: ["sum"],
  reactivation_mrr: ["sum"],
  new_customers: ["count", "sum"],
  churned_customers: ["count", "sum"],
};

export const stripeQuerySchema = z.object({ metric: z.enum(STRIPE_METRICS) }).strict();
