import { ClgError } from "../../../errors.ts";
import {
  type ActivationRule,
  activationSamples,
  readActivationRule,
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
  if (kpi.query.activation === undefined) return DEFAULT_ACTIVATION_RULE;
  try {
    return readActivationRule(kpi.query.activation);
  } catch (e) {
    throw new ClgError(
      "clg_source_failed",
      `The activation rule of KPI "${kpi.slug}" is not valid: ${e instanceof Error ? e.message : String(e)}`,
      {
        hint: 'Write it as "1+ data_source_connected AND 2+ dashboard_viewed within 7 days" or in the object form.',
      },
    );
  }
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
