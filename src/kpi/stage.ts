import { z } from "zod";

/** The six CLG journey stages in journey order, plus the customer-success group. */
export const JOURNEY_STAGES = [
  "problem",
  "interest",
  "activation",
  "value_realization",
  "continued_value",
  "value_growth",
] as const;

export const STAGES = [...JOURNEY_STAGES, "customer_success"] as const;

export const stageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof stageSchema>;

export const STAGE_LABELS: Record<Stage, string> = {
  problem: "Problem",
  interest: "Interest",
  activation: "Activation",
  value_realization: "Value realization",
  continued_value: "Continued value",
  value_growth: "Value growth",
  customer_success: "Customer success",
};
