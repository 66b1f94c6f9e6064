import { describe, expect, it } from "vitest";
import { type DayValue, detectAnomaly } from "../../src/kpi/anomaly.ts";
import { addDays } from "../../src/kpi/days.ts";
import { forecastCrossing, theilSen } from "../../src/kpi/forecast.ts";
import { kpi } from "./fixtures.ts";

const toSeries = (values: readonly (number | null)[], end = "2026-11-22"): DayValue[] =>
  values.map((value, i) => ({ day: addDays(end, i - values.length + 1), value }));

/** 57 days: weekdays around 100, weekends around 40, a little noise; the last day (a Sunday) is `last`. */
function weekly(last: number | null): DayValue[] {
  const values: (number | null)[] = Array.from({ length: 57 }, (_, i) => {
    const weekend = (56 - i) % 7 === 0 || (56 - i) % 7 === 1;
    return (weekend ? 40 : 100) + ((i * 7) % 5) - 2;
  });
  values[56] = last;
  return toSeries(values);
}

describe("detectAnomaly", () => {
  it("flags a spike against the same weekday, not against the weekday level", () => {
    const out = detectAnomaly(weekly(100), 3.5, "up");
    expect(out).toMatchObject({ day: "2026-11-22", actual: 100, direction: "above", good: true });
    expect(out?.expected).toBeGreaterThan(37);
    expect(out?.expected).toBeLessThan(43);
    expect(out?.score).toBeGreaterThan(3.5);
  });

  it.each([
    ["an ordinary Sunday", weekly(40), 3.5, "up"],
    ["no value on the day", weekly(null), 3.5, "up"],
    ["a spike under a very high sensitivity", weekly(100), 1000, "up"],
  ] as const)("is quiet for %s", (_what, s, sensitivity, direction) => {
    expect(detectAnomaly(s, sensitivity, direction)).toBeNull();
  });

  it("marks a drop on a down-is-good KPI as good", () => {
    expect(detectAnomaly(weekly(0), 3.5, "down")).toMatchObject({ direction: "below", good: true });
  });

  it("needs four same-weekday points", () => {
    const s = weekly(100).map((p, i) => (i < 35 ? { ...p, value: null } : p));
    expect(detectAnomaly(s, 3.5, "up")).toBeNull();
    expect(detectAnomaly(weekly(100).slice(-29), 3.5, "up")).not.toBeNull();
  });

  it("stays quiet when the baseline never varies (MAD 0)", () => {
    const flat = toSeries(Array.from({ length: 57 }, (_, i) => (i === 56 ? 90 : 10)));
    expect(detectAnomaly(flat, 3.5, "up")).toBeNull();
  });
});

describe("theilSen", () => {
  it("finds the slope despite outliers", () => {
    const values = Array.from({ length: 28 }, (_, i) => 70 - 0.5 * i);
    values[5] = 500;
    values[20] = -300;
    const fit = theilSen(toSeries(values));
    expect(fit?.slope).toBeCloseTo(-0.5, 9);
    expect(fit?.robustR2).toBeGreaterThan(0.9);
  });
});

describe("forecastCrossing", () => {
  const def = kpi({
    thresholds: [
      { status: "red", below: 30 },
      { status: "amber", below: 50 },
    ],
  });
  const noise = (i: number) => ((i * 37) % 11) / 10 - 0.5;

  it("projects a clear downward trend to the amber line", () => {
    const values = Array.from({ length: 28 }, (_, i) => 80 - i + noise(i));
    const out = forecastCrossing(def, "28d", toSeries(values), values[27] as number, 14);
    expect(out).toMatchObject({ threshold: 50, status: "amber" });
    expect(out?.slopePerDay).toBeCloseTo(-1, 1);
    // The line is at about 53 on the last day: 50 is passed on the fourth day.
    expect(out?.days).toBe(4);
  });

  it("projects to red when already amber", () => {
    const values = Array.from({ length: 28 }, (_, i) => 60 - i + noise(i));
    expect(forecastCrossing(def, "28d", toSeries(values), values[27] as number, 14)).toMatchObject({
      threshold: 30,
      status: "red",
    });
  });

  it.each([
    ["flat noise", Array.from({ length: 28 }, (_, i) => 60 + 3 * noise(i))],
    ["moving away (up)", Array.from({ length: 28 }, (_, i) => 55 + i)],
    ["already past the worst line", Array.from({ length: 28 }, (_, i) => 29 - i * 0.5)],
    ["too slow to cross within the horizon", Array.from({ length: 28 }, (_, i) => 90 - i * 0.5)],
    ["too few points", [60, 59, 58, 57, 56, 55]],
    ["noise with one big dip", Array.from({ length: 28 }, (_, i) => (i === 27 ? 20 : 60 + 3 * noise(i)))],
  ])("is null for %s", (_what, values) => {
    const current = values[values.length - 1] as number;
    expect(forecastCrossing(def, "28d", toSeries(values), current, 14)).toBeNull();
  });

  it("is silent once the series is past the line, though the window's own value is not", () => {
    // A quarter-to-date value of 54.5 (amber) while the rolling 7-day series already reads 28.9 (red).
    const values = Array.from({ length: 28 }, (_, i) => 60 - i * 1.15 + noise(i));
    expect(values[27]).toBeLessThan(30);
    expect(forecastCrossing(def, "quarter", toSeries(values), 54.5, 14)).toBeNull();
  });

  it("works for down-is-good KPIs rising towards an above rule", () => {
    const churn = kpi({ slug: "churn", direction: "down", thresholds: [{ status: "red", above: 5 }] });
    const values = Array.from({ length: 28 }, (_, i) => 2 + 0.1 * i + noise(i) / 50);
    const out = forecastCrossing(churn, "28d", toSeries(values), values[27] as number, 30);
    expect(out).toMatchObject({ threshold: 5, status: "red" });
    expect(out?.days).toBeGreaterThan(0);
  });
});
