import { describe, expect, it } from "vitest";
import { ANCHOR, addDays, history, kpi, poll, rate } from "./demo-fixture.ts";

const OWNERS = ["Dana Ruiz", "Priya Nair", "Marcus Webb", "Sofia Lindqvist", "Kenji Watanabe"];

describe("demo incidents at the end of history", () => {
  it("slides activation under 50% over the last three weeks, from above 55% the month before", async () => {
    const samples = await history;
    expect(rate(samples, "activation", "", addDays(ANCHOR, -20), ANCHOR)).toBeLessThan(50);
    expect(rate(samples, "activation", "", addDays(ANCHOR, -48), addDays(ANCHOR, -21))).toBeGreaterThan(55);
  });

  it("spikes churn, with one owner clearly above the others", async () => {
    const samples = await history;
    const from = addDays(ANCHOR, -27);
    expect(rate(samples, "churn", "", from, ANCHOR, true)).toBeGreaterThan(3);
    expect(rate(samples, "churn", "", addDays(from, -56), addDays(ANCHOR, -56), true)).toBeLessThan(2.5);
    const byOwner = OWNERS.map((o) => ({
      o,
      churn: rate(samples, "churn", `owner:${o}`, from, ANCHOR, true),
    }));
    byOwner.sort((a, b) => b.churn - a.churn);
    const [worst, next] = byOwner;
    expect(worst?.o).toBe("Marcus Webb");
    expect(worst?.churn ?? 0).toBeGreaterThan(1.5 * (next?.churn ?? Number.POSITIVE_INFINITY));
  });

  it("drops visitors on the latest day far below the same weekday's median", async () => {
    const samples = (await history).filter((s) => s.kpi === "new_visitors" && s.segment === "");
    const valueOn = (day: string) => samples.find((s) => s.day === day)?.value ?? Number.NaN;
    const sameWeekday = [1, 2, 3, 4, 5, 6, 7, 8]
      .map((w) => valueOn(addDays(ANCHOR, -7 * w)))
      .sort((a, b) => a - b);
    const median = ((sameWeekday[3] ?? 0) + (sameWeekday[4] ?? 0)) / 2;
    expect(valueOn(ANCHOR)).toBeLessThan(0.6 * median);
    expect(valueOn(addDays(ANCHOR, -7))).toBeGreaterThan(0.8 * median);
  });

  it("moves the incidents with the anchor, so any start day shows them", async () => {
    const until = "2026-03-10";
    const samples = await poll([kpi("activation")], addDays(until, -60), until);
    expect(rate(samples, "activation", "", addDays(until, -20), until)).toBeLessThan(50);
  });

  it("applies the KPI's own activation rule: a stricter rule activates fewer accounts", async () => {
    const base = kpi("activation");
    const strict = {
      ...base,
      query: {
        series: "activation",
        activation: {
          within_days: 7,
          all: [
            { event: "data_source_connected", min: 1 },
            { event: "dashboard_viewed", min: 4 },
          ],
        },
      },
    };
    const from = addDays(ANCHOR, -90);
    const [loose, tight] = await Promise.all([poll([base], from, ANCHOR), poll([strict], from, ANCHOR)]);
    const total = (rows: typeof loose, f: "num" | "den") =>
      rows.filter((s) => s.segment === "").reduce((a, s) => a + (s[f] ?? 0), 0);
    expect(total(tight, "den")).toBe(total(loose, "den"));
    expect(total(tight, "num")).toBeLessThan(total(loose, "num"));
  });
});
