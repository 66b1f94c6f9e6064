import { segmentKey } from "../../../kpi/sample.ts";
import { type DemoWorld, offset, PLANS, type Plan, TRIAL_MIX } from "../world.ts";
import { traffic } from "./acquisition.ts";
import {
  activationRuleOf,
  countActivated,
  DEFAULT_ACTIVATION_RULE,
  type DemoTrialAccount,
  isActivated,
} from "./activation-rule-bridge.ts";
import type { Row, SeriesFn } from "./row.ts";

export interface DemoTrial extends DemoTrialAccount {
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
    const accounts: DemoTrial[] = [];
    for (let i = traffic(world, day).trials; i > 0; i--) {
      const plan = PLANS[rng.pick(TRIAL_MIX)] ?? "starter";
      const events: DemoTrial["events"][number][] = [];
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
      accounts.push({ signupDay: day, plan, events });
    }
    return accounts;
  });
}

export const activation: SeriesFn = (world, day, kpi) => {
  const rule = activationRuleOf(kpi);
  const accounts = trialAccounts(world, day);
  const rows: Row[] = [];
  const total = countActivated(accounts, rule);
  if (total.den > 0) rows.push({ segment: "", ...total });
  for (const plan of PLANS) {
    const counts = countActivated(
      accounts.filter((a) => a.plan === plan),
      rule,
    );
    if (counts.den > 0) rows.push({ segment: segmentKey("plan", plan), ...counts });
  }
  return rows;
};

/** Of the accounts that activated (by the default rule), how many built a dashboard with 5+ data points. */
export const dashboardBuilt: SeriesFn = (world, day) => {
  const activated = trialAccounts(world, day).filter((a) => isActivated(a, DEFAULT_ACTIVATION_RULE)).length;
  if (activated === 0) return [];
  const rng = world.rng("dashboards", day);
  return [{ segment: "", num: rng.binomial(activated, 0.58), den: activated }];
};
