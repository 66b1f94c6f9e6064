import { z } from "zod";
import { ClgError } from "../../../errors.ts";
import type { KpiDefinition } from "../../../kpi/definition.ts";

/**
 * The composite activation rule as the catalog writes it: `{ within_days, all: [{ event, min }] }`.
 * An account is activated when, within `within_days` of sign-up (the sign-up day is day 1), it did every
 * listed event at least `min` times. Same shape and meaning as the domain's activation rule; this file is
 * the one place the demo reads rules, so it can switch to the domain module without touching the rest.
 */
const ruleSchema = z
  .object({
    within_days: z.number().int().min(1).max(365),
    all: z
      .array(z.object({ event: z.string().min(1).max(60), min: z.number().int().min(1) }).strict())
      .min(1),
  })
  .strict();
export type DemoActivationRule = z.infer<typeof ruleSchema>;

export const DEFAULT_ACTIVATION_RULE: DemoActivationRule = {
  within_days: 7,
  all: [
    { event: "data_source_connected", min: 1 },
    { event: "dashboard_viewed", min: 2 },
  ],
};

/** Day numbers instead of ISO days: the demo makes tens of thousands of accounts per poll. */
export interface DemoTrialAccount {
  signupDay: number;
  events: readonly { event: string; day: number; count: number }[];
}

export function activationRuleOf(kpi: KpiDefinition): DemoActivationRule {
  if (kpi.query.rule === undefined) return DEFAULT_ACTIVATION_RULE;
  const parsed = ruleSchema.safeParse(kpi.query.rule);
  if (parsed.success) return parsed.data;
  throw new ClgError(
    "clg_source_failed",
    `The activation rule of KPI "${kpi.slug}" is not valid: ${parsed.error.issues[0]?.message ?? "bad shape"}.`,
    { hint: 'Write it as { within_days: 7, all: [{ event: "data_source_connected", min: 1 }] }.' },
  );
}

export function isActivated(account: DemoTrialAccount, rule: DemoActivationRule): boolean {
  const last = account.signupDay + rule.within_days - 1;
  return rule.all.every((condition) => {
    let total = 0;
    for (const e of account.events) {
      if (e.event === condition.event && e.day >= account.signupDay && e.day <= last) total += e.count;
    }
    return total >= condition.min;
  });
}

/** Activated accounts (num) among all accounts (den) of one sign-up day. */
export function countActivated(
  accounts: readonly DemoTrialAccount[],
  rule: DemoActivationRule,
): { num: number; den: number } {
  let num = 0;
  for (const account of accounts) if (isActivated(account, rule)) num++;
  return { num, den: accounts.length };
}
