import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Evaluation } from "../../kpi/evaluate.ts";
import { rulesFor } from "../../kpi/thresholds.ts";
import { formatBound, formatValue } from "../../messages/format.ts";

/**
 * "45.5% is below 50% (red)": why a KPI has its status, in the same number format as the row above it
 * (the domain's diagnostic speaks in raw numbers). Without a value or thresholds, the diagnostic's words.
 */
export function whyStatus(def: KpiDefinition, e: Evaluation, locale: string): string {
  if (e.value === null || !Number.isFinite(e.value)) return e.diagnostic.why;
  const value = formatValue(def, e.value, locale);
  const bound = (r: { below?: number | undefined; above?: number | undefined }) =>
    r.below !== undefined
      ? `below ${formatBound(def, r.below, locale)}`
      : `above ${formatBound(def, r.above as number, locale)}`;
  const rule = e.diagnostic.rule;
  if (rule) return `${value} is ${bound(rule)} (${rule.status})`;
  const bounds = rulesFor(def, e.window).filter((r) => r.status !== "green");
  if (bounds.length === 0) return e.diagnostic.why;
  return `${value} is not ${bounds.map(bound).join(" or ")} (green)`;
}
