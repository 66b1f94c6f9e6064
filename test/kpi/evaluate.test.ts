import { describe, expect, it } from "vitest";
import { addDays } from "../../src/kpi/days.ts";
import { type Evaluation, evaluateKpi } from "../../src/kpi/evaluate.ts";
import { evaluateCatalog, statusKey } from "../../src/kpi/evaluate-catalog.ts";
import { indexSamples } from "../../src/kpi/index-samples.ts";
import type { Sample } from "../../src/kpi/sample.ts";
import { kpi, sample } from "./fixtures.ts";

const NOW = new Date("2026-11-23T06:00:00Z");
const AS_OF = "2026-11-22";

/** `days` days of activation ending on AS_OF: 50 trials a day, `activated(i)` of them activated. */
function rateSamples(days: number, activated: (i: number) => number): Sample[] {
  return Array.from({ length: days }, (_, i) =>
    sample(addDays(AS_OF, i - days + 1), { kpi: "activation_rate", num: activated(i), den: 50 }),
  );
}

const activation = kpi({
  windows: ["7d", "28d", "month"],
  thresholds: [
    { status: "red", below: 30 },
    { status: "amber", below: 50 },
  ],
  targets: [{ period: "month", value: 55 }],
});

describe("evaluateKpi", () => {
  const base = {
    def: activation,
    window: "28d",
    stored: null,
    asOf: AS_OF,
    timezone: "UTC",
    now: NOW,
    sourceError: false,
  };

  it("gives value, previous, delta, status and why", () => {
    // 28 days at 20/50 = 40% after 28 days at 30/50 = 60%
    const out = evaluateKpi({ ...base, samples: rateSamples(56, (i) => (i < 28 ? 30 : 20)) });
    expect(out).toMatchObject({
      kpi: "activation_rate",
      label: "last 28 days",
      ranges: {
        current: { start: "2026-10-26", end: AS_OF },
        previous: { start: "2026-09-28", end: "2026-10-25" },
      },
      value: 40,
      previousValue: 60,
      delta: { absolute: -20, unit: "pp", good: false },
      observed: "amber",
      status: "amber",
      transition: null,
      diagnostic: { why: "40 is below 50 (amber)" },
      pacing: { kind: "level", period: "month", status: "behind", gap: 15 },
    });
    expect(out.current).toMatchObject({ num: 560, den: 1400, days: 28 });
  });

  it("moves the state on from the previous data day", () => {
    const state = {
      day: "2026-11-01",
      confirmed: "green" as const,
      since: "2026-11-01T06:00:00.000Z",
      pending: null,
      overlay: null,
      value: 58,
      rules: activation.thresholds,
    };
    const out = evaluateKpi({ ...base, stored: { state, base: null }, samples: rateSamples(56, () => 20) });
    expect(out.transition).toMatchObject({
      from: "green",
      to: "amber",
      value: 40,
      day: AS_OF,
      cause: "data",
    });
    expect(out.state.since).toBe(NOW.toISOString());
  });

  it("is no_data when the window is empty and error when the source failed", () => {
    const empty = evaluateKpi({ ...base, samples: [] });
    expect([empty.status, empty.value, empty.delta, empty.pacing, empty.anomaly]).toEqual([
      "no_data",
      null,
      null,
      null,
      null,
    ]);
    const failed = evaluateKpi({ ...base, samples: rateSamples(56, () => 20), sourceError: true });
    expect(failed).toMatchObject({
      status: "error",
      value: null,
      diagnostic: { why: "the source failed on its last poll (error)" },
    });
  });

  it("flags an anomalous day and forecasts a falling rate", () => {
    // About 60% every day, then a collapse to 4% on the last day.
    const samples = rateSamples(70, (i) => (i === 69 ? 2 : 30 + ((i * 7) % 5) - 2));
    const out = evaluateKpi({ ...base, window: "7d", samples });
    expect(out.anomaly).toMatchObject({ day: AS_OF, direction: "below", good: false, actual: 4 });
    const falling = evaluateKpi({
      ...base,
      window: "7d",
      samples: rateSamples(70, (i) => Math.round(60 - i * 0.5)),
    });
    // 7-day rate about 54% and falling a point a day: amber (below 50) in a few days.
    expect(falling.status).toBe("green");
    expect(falling.forecast).toMatchObject({ status: "amber", threshold: 50 });
    expect(falling.forecast?.days).toBeLessThanOrEqual(7);
  });

  it("paces a count against the month's target with the month-to-date total", () => {
    const signups = kpi({
      slug: "signups",
      unit: "count",
      aggregation: { kind: "count" },
      targets: [{ period: "month", value: 300 }],
    });
    const samples = Array.from({ length: 30 }, (_, i) => sample(addDays(AS_OF, -i), { value: 6 }));
    const out = evaluateKpi({ ...base, def: signups, window: "7d", samples });
    // 22 days of November at 6 a day = 132 against 300 x 22/30 = 220 expected.
    expect(out.pacing).toMatchObject({
      kind: "cumulative",
      actual: 132,
      expected: 220,
      status: "behind",
      remaining: 168,
      daysLeft: 8,
    });
  });
});

describe("evaluateCatalog", () => {
  const mrr = kpi({ slug: "mrr", unit: "currency", aggregation: { kind: "latest" }, windows: ["28d"] });
  const arr = kpi({
    slug: "arr",
    unit: "currency",
    aggregation: { kind: "formula", expression: "mrr * 12" },
    windows: ["28d"],
    thresholds: [{ status: "red", below: 1_000_000 }],
  });
  const samples = Array.from({ length: 60 }, (_, i) =>
    sample(addDays(AS_OF, -i), { kpi: "mrr", value: 100_000 - i * 100 }),
  );
  const input = {
    defs: [arr, mrr, activation],
    indexes: indexSamples([...samples, ...rateSamples(60, () => 30)]),
    asOf: AS_OF,
    timezone: "UTC",
    now: NOW,
  };
  const find = (out: Evaluation[], slug: string, window = "28d") =>
    out.find((e) => e.kpi === slug && e.window === window);

  it("evaluates every KPI in every window, formulas after their inputs", () => {
    const out = evaluateCatalog(input);
    expect(out.map((e) => `${e.kpi}:${e.window}`)).toEqual([
      "mrr:28d",
      "arr:28d",
      "activation_rate:7d",
      "activation_rate:28d",
      "activation_rate:month",
    ]);
    expect(find(out, "arr")).toMatchObject({
      value: 1_200_000,
      previousValue: (100_000 - 28 * 100) * 12,
      status: "green",
    });
    expect(find(out, "activation_rate", "month")?.value).toBe(60);
  });

  it("uses remembered states and passes a source error on to formulas", () => {
    const states = new Map([
      [
        statusKey("arr", "28d"),
        {
          state: {
            day: "2026-11-01",
            confirmed: "green" as const,
            since: "2026-11-01T00:00:00.000Z",
            pending: null,
            overlay: null,
            value: 1,
            rules: [],
          },
          base: null,
        },
      ],
    ]);
    const out = evaluateCatalog({ ...input, states, sourceErrors: new Set(["mrr"]) });
    expect(find(out, "mrr")?.status).toBe("error");
    // A failing source is an overlay on the confirmed status, not a change of it.
    expect(find(out, "arr")?.status).toBe("error");
    expect(find(out, "arr")?.transition).toBeNull();
    expect(find(out, "arr")?.state).toMatchObject({ confirmed: "green", overlay: { status: "error" } });
    expect(find(out, "activation_rate")?.status).toBe("green");
  });

  it("refuses formula cycles", () => {
    const a = kpi({ slug: "a", aggregation: { kind: "formula", expression: "b" } });
    const b = kpi({ slug: "b", aggregation: { kind: "formula", expression: "a" } });
    expect(() => evaluateCatalog({ ...input, defs: [a, b] })).toThrow(
      expect.objectContaining({ code: "clg_catalog_invalid" }),
    );
  });
});
