export { dailyMetrics } from "./mrr-movements.ts";
export { STRIPE_METRICS, stripeConfigSchema } from "./stripe-config.ts";
export { pollStripe, stripeClient, stripeConnector } from "./stripe-connector.ts";
export { monthlyFactor, subscriptionPieces } from "./subscription-mrr.ts";
