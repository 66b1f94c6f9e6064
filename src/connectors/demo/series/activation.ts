import type { TrialAccount } from "../../../kpi/activation-rule.ts";
import { numberToDay } from "../../../kpi/days.ts";
import { segmentKey } from "../../../kpi/sample.ts";
import { type DemoWorld, offset, PLANS, type Plan, TRIAL_MIX } from "../world.ts";
import { traffic } from "./acquisition.ts";
import { activationRuleOf, countActivated, DEFAULT_ACTIVATION_RULE } from "./activation-rule-bridge.ts";
import type { Row, SeriesFn } from "./row.ts";

export interface DemoTrial extends TrialAccount {
  plan: Plan;
}

const BASE_ACTIVATION = 0.65;
/**
 * An onboarding change three weeks before the anchor broke the connector wizard for some sources:
 * activation slides for two weeks, then stays down.
 */
const ACTIVATION_SLIDE = 0.36;
const SLIDE_START = -21;
const SLIDE_DAYS = 14;

function slide(d: number): number {
  return Math.min(1, Math.max(0, (d - SLIDE_START) / SLIDE_DAYS));
}

const PLAN_LIFT: Record<Plan, number> = { starter: -0.04, pro: 0.03, business: 0.08 };

/**
 * The trial accounts that signed up on `day`, with the product events of their first weeks. Accounts
 * that "mean to" activate connect a source in their first four days and come back two to four times
 * within the week; the others never connect, connect too late, or connect and never come back.
 * Each cohort is reported with its final outcome, so recent sign-up days are not cut short.
 */
export function trialAccounts(world: DemoWorld, day: number): DemoTrial[] {
  return world.memo(`trials:${day}`, () => {
    const rng = world.rng("accounts", day);
    const intent = BASE_ACTIVATION - ACTIVATION_SLIDE * slide(offset(world, day));
    // Events fall within 20 days of sign-up: name those days once per cohort, not once per event.
    const dayNames = Array.from({ length: 21 }, (_, i) => numberToDay(day + i));
    const signupDay = dayNames[0] ?? numberToDay(day);
    const accounts: DemoTrial[] = [];
    const n = traffic(world, day).trials;
    for (let i = 0; i < n; i++) {
      const plan = PLANS[rng.pick(TRIAL_MIX)] ?? "starter";
      const events: { event: string; day: number; count: number }[] = [];
      if (rng.chance(intent + PLAN_LIFT[plan])) {
        const connected = day + rng.int(0, 3);
        events.push({ event: "data_source_connected", day: connected, count: 1 });
        events.push({ event: "dashboard_viewed", day: rng.int(connected, day + 6), count: rng.int(2, 4) });
      } else {
        const r = rng.uniform();
        if (r >= 0.45) {
          const late = r < 0.75;
          const connected = late ? day + rng.int(8, 20) : day + rng.int(0, 5);
          events.push({ event: "data_source_connected", day: connected, count: 1 });
          events.push({ event: "dashboard_viewed", day: connected, count: late ? 2 : 1 });
        }
      }
      accounts.push({
        id: `${signupDay}-${i}`,
        signupDay,
        plan,
        events: events.map((e) => ({ ...e, day: dayNames[e.day - day] ?? numberToDay(e.day) })),
      });
    }
    return accounts;
  });
}

export const activation: SeriesFn = (world, day, kpi) => {
  const rule = activationRuleOf(kpi);
  const accounts = trialAccounts(world, day);
  const byPlan: Row[] = [];
  const total = { segment: "", num: 0, den: 0 };
  for (const plan of PLANS) {
    const counts = countActivated(
      accounts.filter((a) => a.plan === plan),
      rule,
    );
    total.num += counts.num;
    total.den += counts.den;
    if (counts.den > 0) byPlan.push({ segment: segmentKey("plan", plan), ...counts });
  }
  return total.den > 0 ? [total, ...byPlan] : [];
};

/** Of the accounts that activated (by the default rule), how many built a dashboard with 5+ data points. */
export const dashboardBuilt: SeriesFn = (world, day) => {
  const activated = countActivated(trialAccounts(world, day), DEFAULT_ACTIVATION_RULE).num;
  if (activated === 0) return [];
  const rng = world.rng("dashboards", day);
  return [{ segment: "", num: rng.binomial(activated, 0.58), den: activated }];
};
