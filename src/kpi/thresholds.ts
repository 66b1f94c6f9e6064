import type { KpiDefinition, ThresholdRule } from "./definition.ts";
import type { Status } from "./status.ts";

export interface Classification {
  status: Status;
  /** The rule that matched, or null (green by default, or no data). */
  rule: ThresholdRule | null;
  /** One line a person can read, e.g. "46.2 is below 50 (red)". */
  why: string;
}

/** Short number for explanations: at most two decimals, no trailing zeros. */
export function formatNumber(v: number): string {
  return String(Number(v.toFixed(Math.abs(v) >= 100 ? 1 : 2)));
}

/** The rules that apply to a window, in catalog order: those without a window and those for this one. */
export function rulesFor(def: Pick<KpiDefinition, "thresholds">, window: string): ThresholdRule[] {
  return def.thresholds.filter((r) => r.window === undefined || r.window === window);
}

/**
 * Whether a window has a rule that can colour it. Without one the KPI has no status: it is shown
 * neutral ("no status"), never as a green dot that no rule earned.
 */
export function hasThresholds(def: Pick<KpiDefinition, "thresholds">, window: string): boolean {
  return rulesFor(def, window).some((r) => r.status !== "green");
}

export function ruleMatches(rule: ThresholdRule, value: number): boolean {
  return rule.below !== undefined ? value < rule.below : value > (rule.above as number);
}

export function describeRule(rule: ThresholdRule): string {
  return rule.below !== undefined
    ? `below ${formatNumber(rule.below)}`
    : `above ${formatNumber(rule.above as number)}`;
}

/** Status of a value: the first matching rule wins; no match is green; null is no_data. */
export function classify(
  def: Pick<KpiDefinition, "thresholds">,
  window: string,
  value: number | null,
): Classification {
  if (value === null || !Number.isFinite(value)) {
    return { status: "no_data", rule: null, why: "no usable data in the window (no_data)" };
  }
  const rules = rulesFor(def, window);
  for (const rule of rules) {
    if (ruleMatches(rule, value)) {
      return {
        status: rule.status,
        rule,
        why: `${formatNumber(value)} is ${describeRule(rule)} (${rule.status})`,
      };
    }
  }
  const bounds = rules.filter((r) => r.status !== "green").map(describeRule);
  const why =
    bounds.length === 0
      ? "no thresholds for this window (no status)"
      : `${formatNumber(value)} is not ${bounds.join(" or ")} (green)`;
  return { status: "green", rule: null, why };
}
