import { z } from "zod";

/** green / amber / red come from thresholds; no_data when the window has no usable samples; error when the source failed. */
export const STATUSES = ["green", "amber", "red", "no_data", "error"] as const;
export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;

/** Statuses a threshold rule can assign. */
export const RULE_STATUSES = ["red", "amber", "green"] as const;
export const ruleStatusSchema = z.enum(RULE_STATUSES);
export type RuleStatus = z.infer<typeof ruleStatusSchema>;

/** Severity order used to decide whether a change is a recovery or a degradation. */
export const STATUS_SEVERITY: Record<Status, number> = { green: 0, amber: 1, red: 2, no_data: 3, error: 4 };

/** Text markers so colour is never the only signal. */
export const STATUS_SYMBOL: Record<Status, string> = {
  green: "●",
  amber: "▲",
  red: "■",
  no_data: "○",
  error: "✖",
};

export const STATUS_LABEL: Record<Status, string> = {
  green: "green",
  amber: "amber",
  red: "red",
  no_data: "no data",
  error: "source error",
};

/** How a status reads next to a value: symbol and word. Unrated (no thresholds) is neutral, not green. */
export const NO_STATUS = { symbol: "–", label: "no status" } as const;
export function statusMark(status: Status, rated = true): { symbol: string; label: string } {
  return status === "green" && !rated
    ? NO_STATUS
    : { symbol: STATUS_SYMBOL[status], label: STATUS_LABEL[status] };
}
