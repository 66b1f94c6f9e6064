import { segmentKey } from "../../../kpi/sample.ts";
import {
  customerBase,
  type DemoWorld,
  growth,
  INCIDENT_DAYS,
  isWeekend,
  OWNERS,
  offset,
  PLAN_MIX,
  PLAN_MONTHLY_CHURN,
  PLAN_PRICE,
  PLANS,
  type Plan,
  STRUGGLING_OWNER,
} from "../world.ts";
import type { Row, SeriesFn } from "./row.ts";

/** One owner's customers on one plan at the start of a day, and how many of them left that day. */
interface Cell {
  owner: string;
  plan: Plan;
  customers: number;
  lost: number;
}

/** Churn multipliers during the end-of-history spike: a price change for all, a lost champion for one CSM. */
const SPIKE_ALL = 1.7;
const SPIKE_STRUGGLING = 4.5;

function churnMultiplier(d: number, owner: string): number {
  if (d <= -INCIDENT_DAYS) return 1;
  return owner === STRUGGLING_OWNER ? SPIKE_ALL * SPIKE_STRUGGLING : SPIKE_ALL;
}

function cells(world: DemoWorld, day: number): Cell[] {
  return world.memo(`cells:${day}`, () => {
    const d = offset(world, day);
    const rng = world.rng("churn", day);
    const base = customerBase(d);
    const out: Cell[] = [];
    for (const owner of OWNERS) {
      for (const plan of PLANS) {
        const customers = Math.round(base * owner.share * PLAN_MIX[plan]);
        const hazard = (PLAN_MONTHLY_CHURN[plan] / 30) * churnMultiplier(d, owner.name);
        out.push({ owner: owner.name, plan, customers, lost: rng.poisson(customers * hazard) });
      }
    }
    return out;
  });
}

/** One row for the whole base, then one per owner and / or per plan, each made by `toRow` from its cells. */
function split(
  all: Cell[],
  dimensions: readonly ("owner" | "plan")[],
  toRow: (group: Cell[]) => Row | null,
): Row[] {
  const rows: Row[] = [];
  const push = (segment: string, group: Cell[]) => {
    const row = toRow(group);
    if (row) rows.push({ ...row, segment });
  };
  push("", all);
  if (dimensions.includes("owner")) {
    for (const o of OWNERS)
      push(
        segmentKey("owner", o.name),
        all.filter((c) => c.owner === o.name),
      );
  }
  if (dimensions.includes("plan")) {
    for (const p of PLANS)
      push(
        segmentKey("plan", p),
        all.filter((c) => c.plan === p),
      );
  }
  return rows;
}

const sum = (group: Cell[], f: (c: Cell) => number) => group.reduce((acc, c) => acc + f(c), 0);

/** List prices creep up about 4% a year, so MRR grows a little faster than the customer count. */
const priceLevel = (world: DemoWorld, day: number) => growth(offset(world, day), 0.04);

export const customers: SeriesFn = (world, day) => [
  { segment: "", value: sum(cells(world, day), (c) => c.customers - c.lost) },
];

export const churn: SeriesFn = (world, day) =>
  split(cells(world, day), ["owner", "plan"], (g) => {
    const den = sum(g, (c) => c.customers);
    return den > 0 ? { segment: "", num: sum(g, (c) => c.lost), den } : null;
  });

export const mrr: SeriesFn = (world, day) => {
  const level = priceLevel(world, day);
  return split(cells(world, day), ["plan"], (g) => ({
    segment: "",
    value: Math.round(sum(g, (c) => (c.customers - c.lost) * PLAN_PRICE[c.plan]) * level),
  }));
};

export const churnedMrr: SeriesFn = (world, day) => {
  const level = priceLevel(world, day);
  return [
    { segment: "", value: Math.round(sum(cells(world, day), (c) => c.lost * PLAN_PRICE[c.plan]) * level) },
  ];
};

const STEP_UP = PLAN_PRICE.pro - PLAN_PRICE.starter;
const BIG_STEP = PLAN_PRICE.business - PLAN_PRICE.pro;

/** Plan moves of one day: mostly starter <-> pro, some pro <-> business, and fewer at weekends. */
function planMoves(world: DemoWorld, day: number) {
  return world.memo(`moves:${day}`, () => {
    const rng = world.rng("moves", day);
    const base = customerBase(offset(world, day)) * (isWeekend(day) ? 0.45 : 1.22);
    const upgrades = rng.poisson((base * 0.035) / 30);
    const downgrades = rng.poisson((base * 0.006) / 30);
    let expansion = 0;
    for (let i = 0; i < upgrades; i++) expansion += rng.chance(0.85) ? STEP_UP : BIG_STEP;
    let contraction = 0;
    for (let i = 0; i < downgrades; i++) contraction += rng.chance(0.85) ? STEP_UP : BIG_STEP;
    const level = priceLevel(world, day);
    return {
      upgrades,
      expansion: Math.round(expansion * level),
      contraction: Math.round(contraction * level),
    };
  });
}

export const upgrades: SeriesFn = (world, day) => [{ segment: "", value: planMoves(world, day).upgrades }];
export const expansionMrr: SeriesFn = (world, day) => [
  { segment: "", value: planMoves(world, day).expansion },
];
export const contractionMrr: SeriesFn = (world, day) => [
  { segment: "", value: planMoves(world, day).contraction },
];

/** Accounts that shared a dashboard every week for four weeks: a slowly moving stock. */
export const weeklySharers: SeriesFn = (world, day) => {
  const rng = world.rng("sharers", day);
  return [{ segment: "", value: Math.round(customerBase(offset(world, day)) * 0.36 * rng.noise(0.01)) }];
};

/** Gross margin drifts with hosting costs over a four-month cycle. */
export const grossMargin: SeriesFn = (world, day) => {
  const rng = world.rng("margin", day);
  const d = offset(world, day);
  return [
    {
      segment: "",
      value: Math.round((78.5 + Math.sin((2 * Math.PI * d) / 120) + 0.15 * rng.normal()) * 10) / 10,
    },
  ];
};
