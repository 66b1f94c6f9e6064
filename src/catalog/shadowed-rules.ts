import type { ThresholdRule } from "../kpi/definition.ts";

/** A rule that can never match, and the earlier rule that catches every value it would. */
export interface ShadowedRule {
  rule: ThresholdRule;
  index: number;
  by: ThresholdRule;
  byIndex: number;
}

/**
 * Rules are checked in order and the first match wins, so a later rule is dead when an earlier one of the
 * same direction applies to all its windows and reaches at least as far: red below 40 before amber below
 * 30 leaves amber nothing. Such a rule is not an error (the status is still defined) but never what was
 * meant, so the catalog and the `threshold` command warn about it.
 */
export function shadowedRules(rules: readonly ThresholdRule[]): ShadowedRule[] {
  const out: ShadowedRule[] = [];
  rules.forEach((rule, index) => {
    const byIndex = rules.findIndex((earlier, i) => i < index && covers(earlier, rule));
    const by = rules[byIndex];
    if (by) out.push({ rule, index, by, byIndex });
  });
  return out;
}

function covers(earlier: ThresholdRule, later: ThresholdRule): boolean {
  if (earlier.window !== undefined && earlier.window !== later.window) return false;
  if (earlier.below !== undefined && later.below !== undefined) return earlier.below >= later.below;
  if (earlier.above !== undefined && later.above !== undefined) return earlier.above <= later.above;
  return false;
}

/** "amber below 30 (28d)" in the KPI's raw numbers; chat answers format with the unit instead. */
export function ruleText(r: ThresholdRule): string {
  const bound = r.below !== undefined ? `below ${r.below}` : `above ${r.above}`;
  return `${r.status} ${bound}${r.window ? ` (${r.window})` : ""}`;
}
