import type { KpiDefinition, ThresholdRule } from "./definition.ts";
import { STATUS_SEVERITY, type Status } from "./status.ts";
import { rulesFor } from "./thresholds.ts";

/** What is remembered per KPI and window between evaluations (the `kpi_status` row). */
export interface StatusState {
  status: Status;
  /** When the current status was taken (ISO timestamp). */
  since: string;
  /** A different status seen but not yet confirmed, and how many evaluations in a row saw it. */
  pending: { status: Status; count: number } | null;
  value: number | null;
}

export interface StatusTransition {
  from: Status;
  to: Status;
  value: number | null;
  at: string;
}

const IMMEDIATE: ReadonlySet<Status> = new Set(["no_data", "error"]);

/**
 * Whether `value` has left the rule behind `from` by the recovery margin: leaving `below 50` with margin 2
 * needs 52 or more, leaving `above 5` needs 3 or less. Every rule for `from` must be cleared.
 */
function clearsMargin(
  rules: readonly ThresholdRule[],
  from: Status,
  value: number | null,
  margin: number,
): boolean {
  if (value === null) return false;
  for (const r of rules) {
    if (r.status !== from) continue;
    if (r.below !== undefined && value < r.below + margin) return false;
    if (r.above !== undefined && value > r.above - margin) return false;
  }
  return true;
}

/**
 * One step of the status machine for a KPI and window. The first evaluation sets the state without a
 * transition. no_data and error, and leaving them, apply at once. Otherwise a new status is taken only
 * after `flap.pending` evaluations in a row saw it, and a recovery to a less severe status also needs the
 * value past the boundary it leaves by `flap.recovery_margin`; a recovery short of the margin keeps the
 * current status and clears any pending change.
 */
export function advanceStatus(
  def: Pick<KpiDefinition, "thresholds" | "flap">,
  window: string,
  previous: StatusState | null,
  observed: { status: Status; value: number | null },
  now: Date,
): { state: StatusState; transition: StatusTransition | null } {
  const at = now.toISOString();
  const value = observed.value;
  const take = (to: Status) => ({
    state: { status: to, since: at, pending: null, value },
    transition: previous ? { from: previous.status, to, value, at } : null,
  });
  if (previous === null) return take(observed.status);
  const stay = { state: { ...previous, pending: null, value }, transition: null };
  if (observed.status === previous.status) return stay;
  if (IMMEDIATE.has(observed.status) || IMMEDIATE.has(previous.status)) return take(observed.status);

  const recovering = STATUS_SEVERITY[observed.status] < STATUS_SEVERITY[previous.status];
  if (recovering && !clearsMargin(rulesFor(def, window), previous.status, value, def.flap.recovery_margin)) {
    return stay;
  }
  const count = previous.pending?.status === observed.status ? previous.pending.count + 1 : 1;
  if (count >= def.flap.pending) return take(observed.status);
  return { state: { ...previous, pending: { status: observed.status, count }, value }, transition: null };
}
