import { ClgError } from "../../../errors.ts";
import {
  type ActivationRule,
  activationRuleSchema,
  activationSamples,
  type TrialAccount,
} from "../../../kpi/activation-rule.ts";
import type { KpiDefinition } from "../../../kpi/definition.ts";

/**
 * The one place the demo reads activation rules: the catalog's declarative form
 * `{ within_days, all: [{ event, min }] }`, counted by the domain's `activationSamples`.
 */
export const DEFAULT_ACTIVATION_RULE: ActivationRule = {
  within_days: 7,
  all: [
    { event: "data_source_connected", min: 1 },
    { event: "dashboard_viewed", min: 2 },
  ],
};

export function activationRuleOf(kpi: KpiDefinition): ActivationRule {
  if (kpi.query.rule === undefined) return DEFAULT_ACTIVATION_RULE;
  const parsed = activationRuleSchema.safeParse(kpi.query.rule);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ClgError(
    "clg_source_failed",
    `The activation rule of KPI "${kpi.slug}" is not valid: ${issue?.path.join(".") || "rule"}: ${issue?.message ?? "bad shape"}.`,
    { hint: 'Write it as { within_days: 7, all: [{ event: "data_source_connected", min: 1 }] }.' },
  );
}

/**
 * Activated accounts (num) among all accounts (den). Each demo cohort is reported with its final
 * outcome (no `asOf`), so the last sign-up days are not left out of the picture.
 */
export function countActivated(
  accounts: readonly TrialAccount[],
  rule: ActivationRule,
): { num: number; den: number } {
  let num = 0;
  let den = 0;
  for (const s of activationSamples(accounts, rule)) {
    num += s.num ?? 0;
    den += s.den ?? 0;
  }
  return { num, den };
}
