import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clv,
  distributionMean,
  grr,
  ltvToCac,
  mrrChurn,
  npsFromDistribution,
  nrr,
  shareBetween,
} from "../../src/kpi/metrics/index.ts";

/*
 * Edge cases of the metric functions the catalog calls (`nrr(...)`, `grr(...)`, distribution statistics).
 * The public worked examples run through the catalog in test/app/worked-examples.test.ts.
 */
describe("edge cases", () => {
  const cases: [string, () => number | null, number | null][] = [
    ["NPS all detractors -> -100", () => npsFromDistribution({ "0": 4, "6": 1 }), -100],
    ["NPS ignores answers outside 0-10 and no answers is null", () => npsFromDistribution({ "11": 3 }), null],
    ["NPS with a negative count is null", () => npsFromDistribution({ "9": -1, "10": 3 }), null],
    [
      "top box with only 5 counting as satisfied -> 90/200 = 45",
      () => shareBetween({ "5": 90, "4": 50, "3": 30, "2": 20, "1": 10 }, { min: 1, max: 5 }, 5, 5),
      45,
    ],
    ["mean of no answers is null", () => distributionMean({}, { min: 1, max: 7 }), null],
    ["GRR with negative contraction (a data error) is clamped to 100", () => grr(100, -20, 0), 100],
    ["NRR with no starting revenue -> null", () => nrr(0, 10, 0, 0), null],
    ["gross MRR churn with no starting revenue -> null", () => mrrChurn(0, 5, 0), null],
    ["CLV with zero churn -> null", () => clv(100, 80, 0), null],
    ["LTV:CAC: 4,000 / 1,000 -> 4", () => ltvToCac(4000, 1000), 4],
    ["LTV:CAC with no CAC -> null", () => ltvToCac(4000, 0), null],
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

  it("GRR never exceeds 100 and never exceeds NRR; gross MRR churn is 100 - GRR until it clamps", () => {
    const money = fc.integer({ min: 0, max: 1_000_000 });
    fc.assert(
      fc.property(money, money, money, money, (start, expansion, contraction, churned) => {
        const g = grr(start, contraction, churned);
        const n = nrr(start, expansion, contraction, churned);
        if (start === 0) {
          expect(g).toBeNull();
          return;
        }
        expect(g).not.toBeNull();
        expect(g as number).toBeLessThanOrEqual(100);
        expect(g as number).toBeLessThanOrEqual(Math.max(0, n as number) + 1e-9);
        if (contraction + churned <= start)
          expect((g as number) + (mrrChurn(start, churned, contraction) as number)).toBeCloseTo(100, 9);
      }),
    );
  });
});
