import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { aggregateRange, aggregateWindow } from "../../src/kpi/aggregate.ts";
import { addDays } from "../../src/kpi/days.ts";
import type { Aggregation } from "../../src/kpi/definition.ts";
import { series } from "../../src/kpi/series.ts";
import { buildSeriesIndex } from "../../src/kpi/series-index.ts";
import { classify } from "../../src/kpi/thresholds.ts";
import { kpi, sample, valueSeries } from "./fixtures.ts";

const ratio: Aggregation = { kind: "ratio", scale: 100, denominator: "sum" };
const def = (aggregation: Aggregation) => ({ aggregation });
const range = { start: "2026-03-01", end: "2026-03-03" };

describe("aggregateWindow", () => {
  const cases: [string, Aggregation, ReturnType<typeof sample>[], number | null][] = [
    ["count sums daily values", { kind: "count" }, valueSeries("2026-03-01", [3, 4, 5]), 12],
    ["sum skips days without samples", { kind: "sum" }, valueSeries("2026-03-01", [2.5, null, 1]), 3.5],
    [
      "ratio is sum(num)/sum(den), not a mean of daily ratios",
      ratio,
      [sample("2026-03-01", { num: 1, den: 2 }), sample("2026-03-02", { num: 9, den: 10 })],
      (10 / 12) * 100,
    ],
    ["ratio with a zero denominator is no data", ratio, [sample("2026-03-01", { num: 0, den: 0 })], null],
    ["empty window is no data", ratio, [sample("2026-02-01", { num: 1, den: 2 })], null],
    ["NaN anywhere is no data", { kind: "sum" }, valueSeries("2026-03-01", [1, Number.NaN, 2]), null],
    [
      "Infinity anywhere is no data",
      ratio,
      [sample("2026-03-01", { num: 1, den: Number.POSITIVE_INFINITY })],
      null,
    ],
    [
      "denominator first divides by the first day's denominator",
      { kind: "ratio", scale: 100, denominator: "first" },
      [sample("2026-03-01", { num: 2, den: 200 }), sample("2026-03-02", { num: 3, den: 210 })],
      2.5,
    ],
    [
      "mean is sum of scores / number of scores",
      { kind: "mean" },
      [sample("2026-03-01", { num: 12, den: 3 }), sample("2026-03-03", { num: 3, den: 1 })],
      3.75,
    ],
    [
      "latest takes the last value in the window",
      { kind: "latest" },
      valueSeries("2026-03-01", [10, 11, null]),
      11,
    ],
    ["latest ignores values after the window", { kind: "latest" }, valueSeries("2026-03-02", [7, 8, 9]), 8],
    [
      "NPS from 0-10 answers",
      { kind: "distribution", scale: { min: 0, max: 10 }, statistic: "nps" },
      [sample("2026-03-01", { dist: { "10": 3, "8": 1 } }), sample("2026-03-02", { dist: { "3": 1 } })],
      40,
    ],
    [
      "top box of a 1-5 scale",
      { kind: "distribution", scale: { min: 1, max: 5 }, statistic: "top_box" },
      [sample("2026-03-01", { dist: { "5": 1, "4": 2, "2": 1 } })],
      75,
    ],
    [
      "mean of a distribution",
      { kind: "distribution", scale: { min: 1, max: 7 }, statistic: "mean" },
      [sample("2026-03-01", { dist: { "7": 1, "5": 1 } })],
      6,
    ],
    [
      "formula KPIs have no samples of their own",
      { kind: "formula", expression: "a" },
      valueSeries("2026-03-01", [1]),
      null,
    ],
  ];
  it.each(cases)("%s", (_what, aggregation, samples, expected) => {
    const out = aggregateWindow(def(aggregation), samples, range);
    if (expected === null) expect(out.value).toBeNull();
    else expect(out.value).toBeCloseTo(expected, 9);
  });

  it("reports the parts and the days with data", () => {
    const out = aggregateWindow(
      def(ratio),
      [sample("2026-03-01", { num: 3, den: 4 }), sample("2026-03-03", { num: 1, den: 4 })],
      range,
    );
    expect(out).toEqual({ value: 50, num: 4, den: 8, days: 2 });
  });

  it("adds samples of the same day and accepts any order", () => {
    const samples = [
      sample("2026-03-02", { num: 1, den: 2 }),
      sample("2026-03-01", { num: 1, den: 1 }),
      sample("2026-03-02", { num: 1, den: 1 }),
    ];
    expect(aggregateWindow(def(ratio), samples, range)).toMatchObject({ num: 3, den: 4, days: 2 });
  });
});

describe("SeriesIndex", () => {
  it("answers a ratio over concatenated windows as sum/sum of the parts (property)", () => {
    const day = fc.record({ num: fc.integer({ min: 0, max: 1000 }), den: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(
      fc.property(fc.array(day, { minLength: 2, maxLength: 60 }), fc.nat(), (days, cut) => {
        const samples = days.map((d, i) => sample(addDays("2026-01-01", i), d));
        const index = buildSeriesIndex(samples);
        const split = 1 + (cut % (days.length - 1));
        const whole = aggregateRange(def(ratio), index, {
          start: "2026-01-01",
          end: addDays("2026-01-01", days.length - 1),
        });
        const a = aggregateRange(def(ratio), index, {
          start: "2026-01-01",
          end: addDays("2026-01-01", split - 1),
        });
        const b = aggregateRange(def(ratio), index, {
          start: addDays("2026-01-01", split),
          end: addDays("2026-01-01", days.length - 1),
        });
        const expected = (((a.num ?? 0) + (b.num ?? 0)) / ((a.den ?? 0) + (b.den ?? 0))) * 100;
        expect(whole.value).toBeCloseTo(expected, 9);
      }),
    );
  });

  it("matches a plain sum for any range over sparse days (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: -50, max: 50 })), {
          maxLength: 40,
        }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 90 }),
        (points, x, y) => {
          const samples = points.map(([d, v]) => sample(addDays("2026-01-01", d), { value: v }));
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const inRange = points.filter(([d]) => d >= lo && d <= hi);
          const out = aggregateRange(def({ kind: "sum" }), buildSeriesIndex(samples), {
            start: addDays("2026-01-01", lo),
            end: addDays("2026-01-01", hi),
          });
          expect(out.value).toBe(inRange.length === 0 ? null : inRange.reduce((s, [, v]) => s + v, 0));
        },
      ),
    );
  });
});

describe("series", () => {
  it("gives per-day values with gaps and zero-denominator days as null", () => {
    const samples = [sample("2026-03-01", { num: 1, den: 4 }), sample("2026-03-03", { num: 0, den: 0 })];
    expect(series(def(ratio), samples, { start: "2026-02-28", end: "2026-03-03" })).toEqual([
      { day: "2026-02-28", value: null },
      { day: "2026-03-01", value: 25 },
      { day: "2026-03-02", value: null },
      { day: "2026-03-03", value: null },
    ]);
  });
});

describe("sums that classify correctly (non-integer values)", () => {
  const redAbove = (above: number) =>
    kpi({ unit: "number", aggregation: { kind: "sum" }, thresholds: [{ status: "red", above }] });

  it("0.1 + 0.2 + 0.3 read as a window after 0.1 is 0.5, and red above 0.5 does not fire", () => {
    const index = buildSeriesIndex(valueSeries("2026-03-01", [0.1, 0.2, 0.3]));
    const out = aggregateRange(def({ kind: "sum" }), index, { start: "2026-03-02", end: "2026-03-03" });
    expect(out.value).toBe(0.5);
    expect(classify(redAbove(0.5), "7d", out.value).status).toBe("green");
    const rates = [
      sample("2026-03-01", { num: 0.1, den: 0.3 }),
      sample("2026-03-02", { num: 0.2, den: 0.3 }),
    ];
    const rate = aggregateRange(def(ratio), buildSeriesIndex(rates), {
      start: "2026-03-01",
      end: "2026-03-02",
    });
    expect(rate.value).toBe(50);
  });

  it("a window sum, a ratio and their status agree with exact decimal arithmetic, after any prefix (property)", () => {
    const cents = fc.integer({ min: -100_000, max: 100_000 });
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 30 }),
        fc.array(cents, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 60, maxLength: 60 }),
        fc.integer({ min: -200_000, max: 200_000 }),
        (prefix, window, dens, t) => {
          const values = [...prefix, ...window.map((c) => c / 100)];
          const index = buildSeriesIndex(valueSeries("2026-01-01", values));
          const range = {
            start: addDays("2026-01-01", prefix.length),
            end: addDays("2026-01-01", values.length - 1),
          };
          const exact = window.reduce((s, c) => s + c, 0);
          const sum = aggregateRange(def({ kind: "sum" }), index, range).value as number;
          const status = classify(redAbove(t / 100), "7d", sum).status;
          expect(status).toBe(exact > t ? "red" : "green");
          expect(sum).toBe(exact / 100);

          // A rate of tenths against a threshold in hundredths of a percent: red iff 10000 x num > t x den.
          const rates = window.map((c, i) =>
            sample(addDays("2026-01-01", i), { num: Math.abs(c) / 10, den: (dens[i] as number) / 10 }),
          );
          const rate = aggregateRange(def(ratio), buildSeriesIndex(rates), {
            start: "2026-01-01",
            end: addDays("2026-01-01", window.length - 1),
          }).value as number;
          const num = window.reduce((s, c) => s + Math.abs(c), 0);
          const den = dens.slice(0, window.length).reduce((s, d) => s + d, 0);
          const rt = Math.abs(t) % 20_000;
          expect(classify(redAbove(rt / 100), "7d", rate).status).toBe(
            10_000 * num > rt * den ? "red" : "green",
          );
        },
      ),
    );
  });
});
