import { describe, expect, it } from "vitest";
import { DEMO_SERIES_NAMES } from "../../src/connectors/demo/index.ts";
import { ClgError } from "../../src/errors.ts";
import { ANCHOR, addDays, catalog, history, kpi, poll, sourcedKpis } from "./demo-fixture.ts";

describe("demo connector: coverage and shape", () => {
  it("serves every default KPI that reads the demo source", async () => {
    const samples = await history;
    for (const k of sourcedKpis) {
      expect(DEMO_SERIES_NAMES, k.slug).toContain(k.query.series);
      expect(
        samples.some((s) => s.kpi === k.slug),
        k.slug,
      ).toBe(true);
    }
    expect(
      catalog.kpis.filter((k) => k.source === undefined).every((k) => k.aggregation.kind === "formula"),
    ).toBe(true);
  });

  it("has at least 400 days of history, ending on the anchor", async () => {
    const days = [...new Set((await history).map((s) => s.day))].sort();
    expect(days.length).toBeGreaterThanOrEqual(400);
    expect(days.at(-1)).toBe(ANCHOR);
    expect(days[0]).toBe(addDays(ANCHOR, -(days.length - 1)));
  });

  it("stores each aggregation kind in its own fields", async () => {
    const byKpi = new Map(catalog.kpis.map((k) => [k.slug, k]));
    for (const s of await history) {
      const kind = byKpi.get(s.kpi)?.aggregation.kind;
      if (kind === "ratio" || kind === "mean") {
        expect(s.den, s.kpi).toBeGreaterThan(0);
        expect(s.num, s.kpi).toBeGreaterThanOrEqual(0);
        expect(s.num ?? Number.NaN, `${s.kpi} ${s.day} ${s.segment}`).toBeLessThanOrEqual(s.den ?? 0);
        expect([s.value, s.dist]).toEqual([null, null]);
      } else if (kind === "distribution") {
        expect([s.value, s.num, s.den]).toEqual([null, null, null]);
      } else {
        expect(s.value, s.kpi).toBeGreaterThanOrEqual(0);
        expect([s.num, s.den, s.dist]).toEqual([null, null, null]);
      }
    }
  });

  it("keeps distribution answers whole and within each KPI's scale", async () => {
    const samples = await history;
    for (const k of catalog.kpis) {
      if (k.aggregation.kind !== "distribution") continue;
      const { min, max } = k.aggregation.scale;
      const rows = samples.filter((s) => s.kpi === k.slug);
      expect(rows.length, k.slug).toBeGreaterThan(300);
      for (const s of rows) {
        for (const [score, count] of Object.entries(s.dist ?? {})) {
          expect(Number.isInteger(Number(score)) && Number(score) >= min && Number(score) <= max, score).toBe(
            true,
          );
          expect(Number.isInteger(count) && count > 0).toBe(true);
        }
      }
    }
  });

  it("writes segment rows only for KPIs with dimensions, and only for those dimensions", async () => {
    const samples = await history;
    for (const k of sourcedKpis) {
      const dims = new Set(
        samples.filter((s) => s.kpi === k.slug && s.segment !== "").map((s) => s.segment.split(":")[0]),
      );
      expect([...dims].sort(), k.slug).toEqual([...k.dimensions].sort());
    }
  });

  it.each([
    ["activation", "plan", false],
    ["churn", "owner", false],
    ["churn", "plan", false],
    ["mrr", "plan", true],
  ] as const)("adds up %s by %s to the total", async (slug, dimension, isValue) => {
    const samples = (await history).filter((s) => s.kpi === slug && s.day >= addDays(ANCHOR, -30));
    const field = (s: (typeof samples)[number]) => (isValue ? (s.value ?? 0) : (s.num ?? 0));
    for (const day of new Set(samples.map((s) => s.day))) {
      const ofDay = samples.filter((s) => s.day === day);
      const total = ofDay.filter((s) => s.segment === "").reduce((a, s) => a + field(s), 0);
      const parts = ofDay
        .filter((s) => s.segment.startsWith(`${dimension}:`))
        .reduce((a, s) => a + field(s), 0);
      expect(Math.abs(parts - total), `${day}`).toBeLessThanOrEqual(isValue ? 3 : 0);
    }
  });
});

describe("demo connector: determinism", () => {
  it("answers the same request with the same samples", async () => {
    const a = await poll(sourcedKpis, addDays(ANCHOR, -60), ANCHOR);
    const b = await poll(sourcedKpis, addDays(ANCHOR, -60), ANCHOR);
    expect(a).toEqual(b);
  });

  it("gives a sub-range the same values as the slice of a larger range, with a fixed anchor", async () => {
    const config = { anchor: ANCHOR };
    const all = await poll(sourcedKpis, addDays(ANCHOR, -100), ANCHOR, config);
    const from = addDays(ANCHOR, -50);
    const to = addDays(ANCHOR, -20);
    const part = await poll(sourcedKpis, from, to, config);
    expect(part.length).toBeGreaterThan(0);
    expect(part).toEqual(all.filter((s) => s.day >= from && s.day <= to));
  });

  it("tells another story for another seed", async () => {
    const a = await poll([kpi("new_visitors")], addDays(ANCHOR, -10), ANCHOR);
    const b = await poll([kpi("new_visitors")], addDays(ANCHOR, -10), ANCHOR, { seed: 7 });
    expect(a.map((s) => s.value)).not.toEqual(b.map((s) => s.value));
  });

  it("has no days after the anchor nor before the history starts", async () => {
    const samples = await poll([kpi("trials")], "2000-01-01", addDays(ANCHOR, 5), {
      anchor: ANCHOR,
      history_days: 30,
    });
    const days = samples.map((s) => s.day).sort();
    expect(days.length).toBe(30);
    expect([days[0], days.at(-1)]).toEqual([addDays(ANCHOR, -29), ANCHOR]);
  });
});

describe("demo connector: errors", () => {
  it("names the KPI and the known series when a series is unknown", async () => {
    const bad = { ...kpi("trials"), slug: "signups", query: { series: "sign_ups" } };
    const error = await poll([bad], ANCHOR, ANCHOR).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClgError);
    expect((error as ClgError).code).toBe("clg_source_failed");
    expect((error as ClgError).message).toContain('"signups"');
    expect((error as ClgError).message).toContain('"sign_ups"');
    expect((error as ClgError).hint).toContain("new_visitors");
  });

  it.each([
    [{ seed: "abc" }, "seed"],
    [{ anchor: "yesterday" }, "anchor"],
    [{ history_days: 0 }, "history_days"],
    [{ colour: "blue" }, "config"],
  ])("rejects config %j naming %s", async (config, word) => {
    const error = await poll([kpi("trials")], ANCHOR, ANCHOR, config).catch((e: unknown) => e);
    expect((error as ClgError).code).toBe("clg_source_failed");
    expect((error as ClgError).message).toContain(word);
  });

  it("rejects an activation rule that is not the declarative shape", async () => {
    const bad = {
      ...kpi("activation"),
      query: { series: "activation", activation: { within_days: 0, all: [] } },
    };
    const error = await poll([bad], ANCHOR, ANCHOR).catch((e: unknown) => e);
    expect((error as ClgError).code).toBe("clg_source_failed");
    expect((error as ClgError).message).toContain('"activation"');
  });

  it("rejects days that are not days", async () => {
    const error = await poll([kpi("trials")], "2026-02-30", ANCHOR).catch((e: unknown) => e);
    expect((error as ClgError).message).toContain("2026-02-30");
  });
});
