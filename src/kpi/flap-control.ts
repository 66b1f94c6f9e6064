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
 * The status a value earns on the way back: thresholds are classified with every boundary moved against
 * the value by the recovery margin (leaving `below 50` with margin 2 needs 52 or more, leaving `above 5`
 * needs 3 or less), so a value just past a line keeps the worse status.
 */
function recoveryStatus(
  rules: readonly ThresholdRule[],
  value: number | null,
  margin: number,
): Status | null {
  if (value === null) return null;
  for (const r of rules) {
    if (r.below !== undefined ? value < r.below + margin : value > (r.above as number) - margin)
      return r.status;
  }
  return "green";
}

/**
 * One step of the status machine for a KPI and window. The first evaluation sets the state without a
 * transition. no_data and error, and leaving them, apply at once. Otherwise a new status is taken only
 * after `flap.pending` evaluations in a row saw it. A recovery to a less severe status only goes as far as
 * the value clears the boundaries it crosses by `flap.recovery_margin` (red below 30, amber below 50,
 * margin 2: 51 recovers red to amber, not to green); one short of any margin keeps the current status and
 * clears the pending change.
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

  let candidate = observed.status;
  if (STATUS_SEVERITY[candidate] < STATUS_SEVERITY[previous.status]) {
    const earned = recoveryStatus(rulesFor(def, window), value, def.flap.recovery_margin);
    if (earned === null || STATUS_SEVERITY[earned] >= STATUS_SEVERITY[previous.status]) return stay;
    if (STATUS_SEVERITY[earned] > STATUS_SEVERITY[candidate]) candidate = earned;
  }
  const count = previous.pending?.status === candidate ? previous.pending.count + 1 : 1;
  if (count >= def.flap.pending) return take(candidate);
  return { state: { ...previous, pending: { status: candidate, count }, value }, transition: null };
}
