import { z } from "zod";
import { type KpiDefinition, type ThresholdRule, thresholdRuleSchema } from "./definition.ts";
import { type RuleStatus, ruleStatusSchema, STATUS_SEVERITY, type Status } from "./status.ts";
import { rulesFor } from "./thresholds.ts";

/**
 * The status machine. It advances once per DATA DAY, never per evaluation run: an observation is what the
 * thresholds said about one (KPI, window, segment) on one data day, and re-evaluating that day replaces
 * it. The confirmed status is a fold over the days' observations; the state stored after each day is only
 * a cache of that fold, so a restart or a second replica evaluating the same day computes the same state.
 *
 * - A change is confirmed after `flap.pending` days of data in a row moved the SAME DIRECTION (worse or
 *   better). Days that alternate between bad statuses (red, amber, red) count together and confirm the
 *   least severe of them; days that improve confirm the least improved.
 * - A recovery only goes as far as the value clears each boundary by `flap.recovery_margin`.
 * - `no_data` and `error` are overlays: they sit on the last confirmed status ("no data since ...") and
 *   neither confirm nor reset anything, so `red -> gap -> green` still goes through pending and margin.
 * - When the window's threshold rules changed since the last day, the confirmed status is re-read with
 *   the new rules at once and the change is a threshold edit, not a recovery or a degradation.
 */

export const overlaySchema = z.object({
  status: z.enum(["no_data", "error"]),
  /** First data day the overlay was seen. */
  since: z.string(),
});
export type Overlay = z.infer<typeof overlaySchema>;

export const statusStateSchema = z.object({
  /** The data day this state is as of. */
  day: z.string(),
  /** The last confirmed status; null until a day with data was seen. */
  confirmed: ruleStatusSchema.nullable(),
  /** When the confirmed status was taken (ISO timestamp). */
  since: z.string(),
  /** A change seen on `count` days of data in a row, in one direction, not yet confirmed. */
  pending: z
    .object({
      status: ruleStatusSchema,
      direction: z.enum(["worse", "better"]),
      count: z.number().int().min(1),
    })
    .nullable(),
  overlay: overlaySchema.nullable(),
  /** The last good value. */
  value: z.number().nullable(),
  /** The window's threshold rules the confirmed status was read with. */
  rules: z.array(thresholdRuleSchema),
});
export type StatusState = z.infer<typeof statusStateSchema>;

/** What is stored per (KPI, window, segment): the state after the latest data day and the state before it. */
export const storedStatusSchema = z.object({ state: statusStateSchema, base: statusStateSchema.nullable() });
export type StoredStatus = z.infer<typeof storedStatusSchema>;

export interface Observation {
  day: string;
  /** What the thresholds (or the source) said on this day alone. */
  status: Status;
  value: number | null;
}

export type ChangeCause = "data" | "threshold";

export interface StatusTransition {
  /** null: the first day with data after days without. */
  from: RuleStatus | null;
  to: RuleStatus;
  value: number | null;
  day: string;
  at: string;
  cause: ChangeCause;
  /** With cause "threshold": the rules before the edit. */
  rulesBefore: ThresholdRule[] | null;
}

type FlapDef = Pick<KpiDefinition, "thresholds" | "flap">;

/** What users see: the overlay when one is active, else the confirmed status. */
export function shownStatus(state: StatusState): Status {
  return state.overlay?.status ?? state.confirmed ?? "no_data";
}

const severity = (s: RuleStatus) => STATUS_SEVERITY[s];
const lessSevere = (a: RuleStatus, b: RuleStatus) => (severity(a) <= severity(b) ? a : b);
const moreSevere = (a: RuleStatus, b: RuleStatus) => (severity(a) >= severity(b) ? a : b);

function sameRules(a: readonly ThresholdRule[], b: readonly ThresholdRule[]): boolean {
  const key = (r: ThresholdRule) => `${r.status}|${r.below ?? ""}|${r.above ?? ""}|${r.window ?? ""}`;
  return a.length === b.length && a.every((r, i) => key(r) === key(b[i] as ThresholdRule));
}

/**
 * The status a value earns on the way back: every boundary moved against the value by the margin
 * (leaving `below 50` with margin 2 needs 52 or more, leaving `above 5` needs 3 or less).
 */
function recoveryStatus(rules: readonly ThresholdRule[], value: number, margin: number): RuleStatus {
  for (const r of rules) {
    if (r.below !== undefined ? value < r.below + margin : value > (r.above as number) - margin)
      return r.status;
  }
  return "green";
}

function isRuleStatus(s: Status): s is RuleStatus {
  return s === "green" || s === "amber" || s === "red";
}

/** One data day on top of the state after the previous day. Pure. */
export function stepDay(
  def: FlapDef,
  window: string,
  base: StatusState | null,
  obs: Observation,
  now: Date,
): { state: StatusState; cause: ChangeCause } {
  const at = now.toISOString();
  const rules = rulesFor(def, window);
  const observed = obs.status;
  if (!isRuleStatus(observed)) {
    const overlay = base?.overlay?.status === observed ? base.overlay : { status: observed, since: obs.day };
    const kept = base ?? { confirmed: null, since: at, pending: null, value: null, rules };
    return { state: { ...kept, day: obs.day, overlay }, cause: "data" };
  }
  const fresh = { day: obs.day, overlay: null, value: obs.value, rules };
  if (base === null || base.confirmed === null)
    return { state: { ...fresh, confirmed: observed, since: at, pending: null }, cause: "data" };
  if (!sameRules(base.rules, rules)) {
    const since = observed === base.confirmed ? base.since : at;
    return { state: { ...fresh, confirmed: observed, since, pending: null }, cause: "threshold" };
  }
  const current = base.confirmed;
  const keep = { ...fresh, confirmed: current, since: base.since };
  let candidate: RuleStatus;
  let direction: "worse" | "better";
  if (severity(observed) > severity(current)) {
    direction = "worse";
    candidate = observed;
    if (base.pending?.direction === "worse") candidate = lessSevere(base.pending.status, observed);
  } else if (severity(observed) < severity(current)) {
    const earned = recoveryStatus(rules, obs.value ?? 0, def.flap.recovery_margin);
    if (obs.value === null || severity(earned) >= severity(current))
      return { state: { ...keep, pending: null }, cause: "data" };
    direction = "better";
    candidate = moreSevere(observed, earned);
    if (base.pending?.direction === "better") candidate = moreSevere(base.pending.status, candidate);
  } else {
    return { state: { ...keep, pending: null }, cause: "data" };
  }
  const count = base.pending?.direction === direction ? base.pending.count + 1 : 1;
  if (count >= def.flap.pending)
    return { state: { ...fresh, confirmed: candidate, since: at, pending: null }, cause: "data" };
  return { state: { ...keep, pending: { status: candidate, direction, count } }, cause: "data" };
}

/**
 * Takes one evaluation of a data day. A later run on the same day replaces that day's step (it starts
 * again from the state before the day), so re-evaluating changes nothing unless the day's data changed.
 * A day older than the stored one is ignored. The transition compares with what was stored, so the same
 * confirmed change is reported once however often the day is evaluated.
 */
export function advanceStatus(
  def: FlapDef,
  window: string,
  stored: StoredStatus | null,
  obs: Observation,
  now: Date,
): { stored: StoredStatus; transition: StatusTransition | null } {
  if (stored && obs.day < stored.state.day) return { stored, transition: null };
  const base = stored ? (stored.state.day === obs.day ? stored.base : stored.state) : null;
  const stepped = stepDay(def, window, base, obs, now);
  const { state } = stepped;
  const before = stored?.state ?? null;
  if (before && state.confirmed === before.confirmed) state.since = before.since;
  // Rules that differ from the ones the stored status was read with explain the change, even when the day
  // has no state before it to compare with (an edit on the first day evaluated).
  const rulesMoved = before !== null && isRuleStatus(obs.status) && !sameRules(before.rules, state.rules);
  const cause: ChangeCause = rulesMoved ? "threshold" : stepped.cause;
  const rulesBefore = rulesMoved
    ? (before?.rules ?? null)
    : cause === "threshold"
      ? (base?.rules ?? null)
      : null;
  const transition =
    before && state.confirmed !== null && state.confirmed !== before.confirmed
      ? {
          from: before.confirmed,
          to: state.confirmed,
          value: state.value,
          day: obs.day,
          at: now.toISOString(),
          cause,
          rulesBefore,
        }
      : null;
  return { stored: { state, base }, transition };
}

/** The fold itself: the states and transitions a sequence of observations (one per day) leads to. */
export function foldObservations(
  def: FlapDef,
  window: string,
  observations: readonly Observation[],
  now: Date,
): { stored: StoredStatus | null; transitions: StatusTransition[] } {
  let stored: StoredStatus | null = null;
  const transitions: StatusTransition[] = [];
  for (const obs of observations) {
    const out = advanceStatus(def, window, stored, obs, now);
    stored = out.stored;
    if (out.transition) transitions.push(out.transition);
  }
  return { stored, transitions };
}
