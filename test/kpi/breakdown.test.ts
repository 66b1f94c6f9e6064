import { describe, expect, it } from "vitest";
import { breakdown } from "../../src/kpi/breakdown.ts";
import { kpi, sample } from "./fixtures.ts";

const ranges = {
  current: { start: "2026-11-15", end: "2026-11-21" },
  previous: { start: "2026-11-08", end: "2026-11-14" },
};
const rate = (segment: string, day: string, num: number, den: number) => sample(day, { segment, num, den });

describe("breakdown", () => {
  const samples = [
    rate("owner:Dana", "2026-11-10", 5, 10),
    rate("owner:Dana", "2026-11-16", 8, 10),
    rate("owner:Lee", "2026-11-10", 6, 10),
    rate("owner:Lee", "2026-11-16", 3, 10),
    rate("owner:Kim", "2026-11-10", 4, 10),
    rate("owner:Kim", "2026-11-17", 4, 10),
    rate("owner:Noor", "2026-11-10", 4, 10),
    rate("plan:pro", "2026-11-16", 10, 10),
    rate("", "2026-11-16", 15, 30),
  ];
  const def = kpi({ thresholds: [{ status: "red", below: 35 }] });
  const out = breakdown(def, "7d", "owner", samples, ranges);

  it("has one row per value of the dimension, highest first, no data last", () => {
    expect(out.rows.map((r) => [r.label, r.value, r.previous, r.status])).toEqual([
      ["Dana", 80, 50, "green"],
      ["Kim", 40, 40, "green"],
      ["Lee", 30, 60, "red"],
      ["Noor", null, 40, "no_data"],
    ]);
    expect(out.rows[0]?.segment).toBe("owner:Dana");
    expect(out.rows[0]?.delta).toMatchObject({ absolute: 30, unit: "pp", good: true });
  });

  it("names the biggest movers each way and leaves out unchanged segments", () => {
    expect(out.improved.map((r) => r.label)).toEqual(["Dana"]);
    expect(out.worsened.map((r) => r.label)).toEqual(["Lee"]);
  });

  it("reads movers in the KPI's direction", () => {
    const down = breakdown(kpi({ direction: "down" }), "7d", "owner", samples, ranges);
    expect(down.improved.map((r) => r.label)).toEqual(["Lee"]);
    expect(down.worsened.map((r) => r.label)).toEqual(["Dana"]);
  });
});
