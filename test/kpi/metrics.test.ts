import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  arpu,
  arrFromMrr,
  ces,
  clv,
  clvFromArpu,
  csat,
  customerChurnRate,
  customerRetentionCost,
  firstContactResolution,
  grr,
  ltvToCac,
  monthlyAmount,
  mrrFromItems,
  npsFromCounts,
  npsFromDistribution,
  nrr,
  referralConversion,
  revenueChurnRate,
} from "../../src/kpi/metrics/index.ts";

/*
 * Worked examples. Each formula follows the public definition named in the case; the numbers are our own
 * and the expected results were worked out by hand (shown in the name).
 */
describe("worked examples", () => {
  const cases: [string, () => number | null, number | null][] = [
    [
      "NPS, Bain & Company definition (promoters 9-10 minus detractors 0-6): answers 10,10,9,9,9,8,7,6,3,0 -> (5-3)/10 = 20",
      () => npsFromDistribution({ "10": 2, "9": 3, "8": 1, "7": 1, "6": 1, "3": 1, "0": 1 }),
      20,
    ],
    [
      "NPS from counts: 60 promoters, 25 passives, 15 detractors -> 60% - 15% = 45",
      () => npsFromCounts(60, 25, 15),
      45,
    ],
    ["NPS all detractors -> -100", () => npsFromDistribution({ "0": 4, "6": 1 }), -100],
    ["NPS ignores answers outside 0-10 and no answers is null", () => npsFromDistribution({ "11": 3 }), null],
    [
      "CSAT, HubSpot formula (4-5 answers / all x 100): 90 fives, 50 fours, 30 threes, 20 twos, 10 ones -> 140/200 = 70",
      () => csat({ "5": 90, "4": 50, "3": 30, "2": 20, "1": 10 }),
      70,
    ],
    [
      "CSAT with only 5 counting as satisfied -> 90/200 = 45",
      () => csat({ "5": 90, "4": 50, "3": 30, "2": 20, "1": 10 }, { positiveMin: 5 }),
      45,
    ],
    [
      "CES, Gartner CES 2.0 1-7 mean: 7x4, 6x3, 5x2, 2x1 -> 58/10 = 5.8",
      () => ces({ "7": 4, "6": 3, "5": 2, "2": 1 }),
      5.8,
    ],
    ["customer churn (lost / customers at start): 25 of 500 -> 5", () => customerChurnRate(25, 500), 5],
    ["customer churn with no customers at start -> null", () => customerChurnRate(3, 0), null],
    [
      "revenue churn ((churned + contraction) / starting MRR): 3,000 + 1,000 of 100,000 -> 4",
      () => revenueChurnRate(3000, 100_000, 1000),
      4,
    ],
    [
      "MRR, ChartMogul normalisation: 1,200 a year -> 100 a month",
      () => monthlyAmount({ amount: 1200, interval: "year" }),
      100,
    ],
    ["MRR: 10 a week -> 10 x 52 / 12", () => monthlyAmount({ amount: 10, interval: "week" }), (10 * 52) / 12],
    ["MRR: 300 a quarter -> 100", () => monthlyAmount({ amount: 300, interval: "quarter" }), 100],
    [
      "MRR: 50 every 2 months x 3 seats -> 75",
      () => monthlyAmount({ amount: 50, interval: "month", intervalCount: 2, quantity: 3 }),
      75,
    ],
    [
      "MRR: one-time fees are not recurring -> 0",
      () => monthlyAmount({ amount: 500, interval: "one_time" }),
      0,
    ],
    [
      "MRR of a customer: 99/month + 1,200/year + 500 setup -> 199",
      () =>
        mrrFromItems([
          { amount: 99, interval: "month" },
          { amount: 1200, interval: "year" },
          { amount: 500, interval: "one_time" },
        ]),
      199,
    ],
    ["ARR = MRR x 12: 199 -> 2,388", () => arrFromMrr(199), 2388],
    [
      "NRR, ChartMogul definition: (100k + 15k expansion - 3k contraction - 5k churn) / 100k -> 107",
      () => nrr({ start: 100_000, expansion: 15_000, contraction: 3000, churned: 5000 }),
      107,
    ],
    [
      "GRR, same cohort without expansion: (100k - 3k - 5k) / 100k -> 92",
      () => grr({ start: 100_000, contraction: 3000, churned: 5000 }),
      92,
    ],
    [
      "GRR with negative contraction (a data error) is clamped to 100",
      () => grr({ start: 100, contraction: -20, churned: 0 }),
      100,
    ],
    [
      "NRR with no starting revenue -> null",
      () => nrr({ start: 0, expansion: 10, contraction: 0, churned: 0 }),
      null,
    ],
    ["ARPU: 50,000 revenue / 500 customers -> 100", () => arpu(50_000, 500), 100],
    [
      "CLV = ARPU x gross margin / churn: 100 x 80% / 2% -> 4,000",
      () => clv({ arpu: 100, grossMarginPct: 80, churnRatePct: 2 }),
      4000,
    ],
    ["CLV = ARPU / churn: 100 / 2% -> 5,000", () => clvFromArpu(100, 2), 5000],
    ["CLV with zero churn -> null", () => clvFromArpu(100, 0), null],
    ["LTV:CAC: 4,000 / 1,000 -> 4", () => ltvToCac(4000, 1000), 4],
    [
      "CRC: (30k people + 5k tools + 8k marketing + 4k training + 3k loyalty) / 1,000 customers -> 50",
      () =>
        customerRetentionCost(
          { people: 30_000, tools: 5000, customerMarketing: 8000, training: 4000, loyalty: 3000 },
          1000,
        ),
      50,
    ],
    ["FCR: 720 of 900 tickets resolved on first contact -> 80", () => firstContactResolution(720, 900), 80],
    ["FCR with no tickets -> null", () => firstContactResolution(0, 0), null],
    [
      "referral conversion: 45 of 300 referred sign-ups converted -> 15",
      () => referralConversion(45, 300),
      15,
    ],
  ];
  it.each(cases)("%s", (_what, compute, expected) => {
    const out = compute();
    if (expected === null) expect(out).toBeNull();
    else expect(out).toBeCloseTo(expected, 9);
  });
});

describe("metric properties", () => {
  const counts = fc.dictionary(
    fc.integer({ min: 0, max: 10 }).map(String),
    fc.integer({ min: 0, max: 1000 }),
  );

  it("NPS stays within -100..100", () => {
    fc.assert(
      fc.property(counts, (dist) => {
        const v = npsFromDistribution(dist);
        if (v !== null) expect(Math.abs(v)).toBeLessThanOrEqual(100);
      }),
    );
  });

  it("GRR never exceeds 100 and never exceeds NRR", () => {
    const money = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(
      fc.property(money, money, money, money, (start, expansion, contraction, churned) => {
        const g = grr({ start, contraction, churned });
        const n = nrr({ start, expansion, contraction, churned });
        if (start === 0) {
          expect(g).toBeNull();
          return;
        }
        expect(g).not.toBeNull();
        expect(g as number).toBeLessThanOrEqual(100);
        expect(g as number).toBeLessThanOrEqual(Math.max(0, n as number) + 1e-9);
      }),
    );
  });

  it("ARR is 12 x MRR for any list of subscriptions", () => {
    const item = fc.record({
      amount: fc.double({ min: 0, max: 1e6, noNaN: true }),
      interval: fc.constantFrom("day", "week", "month", "quarter", "year", "one_time" as const),
      quantity: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 10 }), (items) => {
        const mrr = mrrFromItems(items);
        expect(arrFromMrr(mrr)).toBeCloseTo((mrr as number) * 12, 6);
      }),
    );
  });
});
