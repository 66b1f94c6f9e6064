import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSamples, loadSegmentSeries, upsertSamples } from "../../src/db/samples-repository.ts";
import { aggregateWindow } from "../../src/kpi/aggregate.ts";
import type { Sample } from "../../src/kpi/sample.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
const s = (kpi: string, day: string, extra: Partial<Sample>): Sample => ({
  kpi,
  day,
  segment: "",
  value: null,
  num: null,
  den: null,
  dist: null,
  ...extra,
});

beforeAll(async () => {
  t = await openTestDb();
  await upsertSamples(t.db, "w", [
    s("visits", "2026-01-01", { value: 10 }),
    s("visits", "2026-01-03", { value: 12.5 }),
    s("visits", "2026-01-02", { value: Number.NaN }),
    s("visits", "2026-01-02", { value: 7, segment: "plan:pro" }),
    s("rate", "2026-01-01", { num: 3, den: 10 }),
    s("rate", "2026-01-02", { num: 1, den: Number.POSITIVE_INFINITY }),
    s("nps", "2026-01-01", { dist: { "9": 4, "10": 2, "3": 1 } }),
    s("visits", "2026-02-01", { value: 99 }),
  ]);
  await upsertSamples(t.db, "other", [s("visits", "2026-01-01", { value: 1000 })]);
});
afterAll(async () => {
  await t.close();
});

describe("loadSegmentSeries", () => {
  const range = { start: "2026-01-01", end: "2026-01-31" };

  it("returns what loadSamples returns for the segment, ordered by KPI and day", async () => {
    const kpis = ["visits", "rate", "nps"];
    const series = await loadSegmentSeries(t.db, "w", kpis, range);
    const rows = await loadSamples(t.db, "w", kpis, range, [""]);
    expect(series).toEqual(rows);
    expect(series.map((x) => `${x.kpi} ${x.day}`)).toEqual([
      "nps 2026-01-01",
      "rate 2026-01-01",
      "rate 2026-01-02",
      "visits 2026-01-01",
      "visits 2026-01-02",
      "visits 2026-01-03",
    ]);
  });

  it("keeps NaN and Infinity as loadSamples does, so both paths give a window with them no data", async () => {
    const sum = { aggregation: { kind: "sum" } as const };
    const rate = { aggregation: { kind: "ratio", scale: 100, denominator: "sum" } as const };
    for (const load of [
      () => loadSegmentSeries(t.db, "w", ["visits", "rate"], range),
      () => loadSamples(t.db, "w", ["visits", "rate"], range, [""]),
    ]) {
      const rows = await load();
      const of = (kpi: string) => rows.filter((x) => x.kpi === kpi);
      expect(aggregateWindow(sum, of("visits"), range).value).toBeNull();
      expect(aggregateWindow(rate, of("rate"), range).value).toBeNull();
      expect(aggregateWindow(sum, of("visits"), { start: "2026-01-03", end: "2026-01-31" }).value).toBe(12.5);
    }
  });

  it("keeps histograms, reads one segment of one workspace", async () => {
    const series = await loadSegmentSeries(t.db, "w", ["visits", "rate", "nps"], range);
    expect(series.find((x) => x.kpi === "visits" && x.day === "2026-01-02")?.value).toBeNaN();
    expect(series.find((x) => x.kpi === "rate" && x.day === "2026-01-02")?.den).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(series.find((x) => x.kpi === "nps")?.dist).toEqual({ "9": 4, "10": 2, "3": 1 });
    const pro = await loadSegmentSeries(t.db, "w", ["visits"], range, "plan:pro");
    expect(pro).toEqual([s("visits", "2026-01-02", { value: 7, segment: "plan:pro" })]);
    expect(await loadSegmentSeries(t.db, "w", [], range)).toEqual([]);
  });
});
