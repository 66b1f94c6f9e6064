import { daysBetween, rangeLength } from "./days.ts";
import type { KpiDefinition, Target, TargetPeriod } from "./definition.ts";
import type { DayRange } from "./window.ts";
import { assertTimezone, periodRange } from "./windows.ts";

export type PaceStatus = "on_pace" | "ahead" | "behind" | "met";

export interface Pacing {
  /** cumulative: a total to reach by the period's end (count, sum); level: a value to be at. */
  kind: "cumulative" | "level";
  period: TargetPeriod;
  periodRange: DayRange;
  target: number;
  actual: number;
  /** What the total should be by now at an even pace (cumulative), or the target itself (level). */
  expected: number;
  status: PaceStatus;
  /** How far behind the expected value, in percent of it (12 = behind by 12%); null unless behind. */
  behindPct: number | null;
  /** How much is still needed to reach the target; 0 once met. */
  remaining: number;
  /** What is needed per remaining day; null when no day is left or for levels. */
  perDay: number | null;
  daysLeft: number;
  /** Target minus actual for levels, signed so that positive means short of the target; null for totals. */
  gap: number | null;
}

/** Within this share of the expected total counts as on pace. */
const ON_PACE_BAND = 0.05;

/**
 * The target for a period that applies on `asOf`: among targets whose `from` is absent or not after
 * `asOf`, the one with the latest `from` (a target without `from` is the oldest).
 */
export function applicableTarget(
  targets: readonly Target[],
  period: TargetPeriod,
  asOf: string,
): Target | null {
  let best: Target | null = null;
  for (const t of targets) {
    if (t.period !== period || (t.from !== undefined && t.from > asOf)) continue;
    if (!best || (t.from ?? "") >= (best.from ?? "")) best = t;
  }
  return best;
}

const isCumulative = (def: Pick<KpiDefinition, "aggregation">) =>
  def.aggregation.kind === "count" || def.aggregation.kind === "sum";

/**
 * Pace against a target on `asOf` (the last complete day, in the catalog's timezone). `valueToDate` is the
 * KPI over the target's period to date: for count and sum KPIs a total, compared with target x elapsed
 * share of the period; for other KPIs a level, compared with the target in the KPI's direction.
 */
export function paceTarget(
  def: Pick<KpiDefinition, "aggregation" | "direction">,
  target: Target,
  asOf: string,
  timezone: string,
  valueToDate: number | null,
): Pacing | null {
  if (valueToDate === null || !Number.isFinite(valueToDate)) return null;
  assertTimezone(timezone);
  const range = periodRange(target.period, asOf);
  const total = rangeLength(range);
  const elapsed = daysBetween(range.start, asOf) + 1;
  const daysLeft = total - elapsed;
  const up = def.direction === "up";
  const base = {
    period: target.period,
    periodRange: range,
    target: target.value,
    actual: valueToDate,
    daysLeft,
  };

  if (!isCumulative(def)) {
    const met = up ? valueToDate >= target.value : valueToDate <= target.value;
    const gap = up ? target.value - valueToDate : valueToDate - target.value;
    return {
      ...base,
      kind: "level",
      expected: target.value,
      status: met ? "met" : "behind",
      behindPct: met || target.value === 0 ? null : (Math.abs(gap) / Math.abs(target.value)) * 100,
      remaining: met ? 0 : Math.abs(gap),
      perDay: null,
      gap,
    };
  }

  const expected = (target.value * elapsed) / total;
  // For a "down" total (a cap such as tickets) being under the expected pace is the good side.
  const ahead = up ? valueToDate - expected : expected - valueToDate;
  const remaining = up ? Math.max(0, target.value - valueToDate) : 0;
  let status: PaceStatus;
  if (up && valueToDate >= target.value) status = "met";
  else if (Math.abs(ahead) <= Math.abs(expected) * ON_PACE_BAND) status = "on_pace";
  else status = ahead > 0 ? "ahead" : "behind";
  return {
    ...base,
    kind: "cumulative",
    expected,
    status,
    behindPct: status === "behind" && expected !== 0 ? (Math.abs(ahead) / Math.abs(expected)) * 100 : null,
    remaining,
    perDay: up && daysLeft > 0 ? remaining / daysLeft : null,
    gap: null,
  };
}
