import { z } from "zod";
import { ClgError } from "../errors.ts";
import { addDays } from "./days.ts";
import type { Sample } from "./sample.ts";
import { TOTAL_SEGMENT } from "./sample.ts";

/**
 * A composite activation rule: an account is activated when, within `within_days` of sign-up (the sign-up
 * day is day 1), it did every listed event at least `min` times. A catalog KPI can carry it in its `query`.
 */
export const activationRuleSchema = z
  .object({
    within_days: z.number().int().min(1).max(365),
    all: z
      .array(z.object({ event: z.string().min(1).max(60), min: z.number().int().min(1) }).strict())
      .min(1),
  })
  .strict();
export type ActivationRule = z.infer<typeof activationRuleSchema>;

const EXAMPLE = '"10+ searches AND 2+ lists AND 1+ export within 14 days"';
const CONDITION = /^(\d+)\s*\+\s+([A-Za-z][\w.-]*)$/;
const WITHIN = /^(.*?)\s+within\s+(\S+)\s+days?\s*$/i;

function invalid(message: string): ClgError {
  return new ClgError("clg_catalog_invalid", message, { hint: `Write the rule like ${EXAMPLE}.` });
}

/** Parse the human form of a rule; the error names the part that could not be read. */
export function parseActivationRule(text: string): ActivationRule {
  const within = WITHIN.exec(text.trim());
  if (!within) throw invalid(`The activation rule "${text}" does not end with "within <N> days".`);
  const days = Number(within[2]);
  if (!Number.isInteger(days) || days < 1 || days > 365) {
    throw invalid(`"within ${within[2]} days" needs a whole number of days from 1 to 365.`);
  }
  const parts = (within[1] as string).split(/\s+AND\s+/i).map((p) => p.trim());
  const all = parts.map((part) => {
    const m = CONDITION.exec(part);
    if (!m) throw invalid(`"${part}" is not a condition like "10+ searches".`);
    const min = Number(m[1]);
    if (min < 1) throw invalid(`"${part}" needs at least 1+.`);
    return { event: (m[2] as string).trim(), min };
  });
  return activationRuleSchema.parse({ within_days: days, all });
}

/**
 * A rule as a catalog carries it in a KPI's `query.activation`: either the human form or the object form.
 * Throws ClgError naming what is wrong.
 */
export function readActivationRule(value: unknown): ActivationRule {
  if (typeof value === "string") return parseActivationRule(value);
  const parsed = activationRuleSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  throw invalid(`The activation rule is not valid${where}: ${issue?.message ?? "unknown problem"}.`);
}

/** The human form of a rule, the inverse of parseActivationRule. */
export function formatActivationRule(rule: ActivationRule): string {
  return `${rule.all.map((c) => `${c.min}+ ${c.event}`).join(" AND ")} within ${rule.within_days} days`;
}

export interface TrialAccount {
  id: string;
  signupDay: string;
  events: readonly { event: string; day: string; count: number }[];
}

/**
 * Daily activation samples by sign-up day: den = accounts that signed up that day, num = those that met
 * the rule within its window. With `asOf`, sign-up days whose window has not ended are left out, since
 * their count can still rise.
 */
export function activationSamples(
  accounts: readonly TrialAccount[],
  rule: ActivationRule,
  options: { kpi?: string; segment?: string; asOf?: string } = {},
): Sample[] {
  const byDay = new Map<string, { num: number; den: number }>();
  for (const a of accounts) {
    const last = addDays(a.signupDay, rule.within_days - 1);
    if (options.asOf !== undefined && last > options.asOf) continue;
    const totals = new Map<string, number>();
    for (const e of a.events) {
      if (e.day < a.signupDay || e.day > last) continue;
      totals.set(e.event, (totals.get(e.event) ?? 0) + e.count);
    }
    const met = rule.all.every((c) => (totals.get(c.event) ?? 0) >= c.min);
    const row = byDay.get(a.signupDay) ?? { num: 0, den: 0 };
    row.den += 1;
    if (met) row.num += 1;
    byDay.set(a.signupDay, row);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([day, { num, den }]) => ({
      kpi: options.kpi ?? "activation_rate",
      day,
      segment: options.segment ?? TOTAL_SEGMENT,
      value: null,
      num,
      den,
      dist: null,
    }));
}
