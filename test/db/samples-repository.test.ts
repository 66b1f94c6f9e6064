import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  latestSampleDay,
  listSegments,
  loadSamples,
  upsertSamples,
} from "../../src/db/samples-repository.ts";
import type { Sample } from "../../src/kpi/sample.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const base = { segment: "", value: null, num: null, den: null, dist: null };
const s = (over: Partial<Sample> & Pick<Sample, "kpi" | "day">): Sample => ({ ...base, ...over });

describe("samples repository", () => {
  it("upserts in batches, skips unchanged rows and keeps workspaces apart", async () => {
    const rows: Sample[] = [];
    for (let d = 1; d <= 30; d++) {
      const day = `2026-01-${String(d).padStart(2, "0")}`;
      rows.push(s({ kpi: "signups", day, value: d }));
      rows.push(s({ kpi: "activation_rate", day, num: d, den: 100 }));
      rows.push(s({ kpi: "nps", day, dist: { "9": d, "3": 1 } }));
      rows.push(s({ kpi: "signups", day, segment: "plan:pro", value: 1 }));
    }
    expect(await upsertSamples(t.db, "w1", rows, { batchSize: 7 })).toEqual({ written: 120 });
    expect(await upsertSamples(t.db, "w1", rows)).toEqual({ written: 0 });
    const changed = rows.map((r) =>
      r.kpi === "signups" && r.day === "2026-01-05" && r.segment === "" ? { ...r, value: 50 } : r,
    );
    expect(await upsertSamples(t.db, "w1", changed)).toEqual({ written: 1 });
    await upsertSamples(t.db, "w2", [s({ kpi: "signups", day: "2026-01-03", value: 999 })]);

    const got = await loadSamples(
      t.db,
      "w1",
      ["signups", "nps"],
      { start: "2026-01-04", end: "2026-01-06" },
      [""],
    );
    expect(got).toEqual([
      s({ kpi: "nps", day: "2026-01-04", dist: { "9": 4, "3": 1 } }),
      s({ kpi: "nps", day: "2026-01-05", dist: { "9": 5, "3": 1 } }),
      s({ kpi: "nps", day: "2026-01-06", dist: { "9": 6, "3": 1 } }),
      s({ kpi: "signups", day: "2026-01-04", value: 4 }),
      s({ kpi: "signups", day: "2026-01-05", value: 50 }),
      s({ kpi: "signups", day: "2026-01-06", value: 6 }),
    ]);
    const all = await loadSamples(t.db, "w1", ["signups"], { start: "2026-01-03", end: "2026-01-03" });
    expect(all.map((r) => [r.segment, r.value])).toEqual([
      ["", 3],
      ["plan:pro", 1],
    ]);
    expect(await loadSamples(t.db, "w1", [], { start: "2026-01-01", end: "2026-01-31" })).toEqual([]);
    expect(await latestSampleDay(t.db, "w1")).toBe("2026-01-30");
    expect(await latestSampleDay(t.db, "w2", ["signups"])).toBe("2026-01-03");
    expect(await latestSampleDay(t.db, "w3")).toBeNull();
    expect(await listSegments(t.db, "w1", "signups")).toEqual(["plan:pro"]);
  });

  it("lets the last of repeated rows win, and loads concurrently when asked", async () => {
    const day = "2026-02-01";
    const rows = [
      s({ kpi: "dup", day, value: 1 }),
      s({ kpi: "dup", day, value: 2 }),
      s({ kpi: "dup", day, value: 3 }),
    ];
    await upsertSamples(t.db, "w4", rows);
    expect((await loadSamples(t.db, "w4", ["dup"], { start: day, end: day }))[0]?.value).toBe(3);

    const many = Array.from({ length: 500 }, (_, i) =>
      s({ kpi: `k${i % 50}`, day: `2026-03-${String(1 + Math.floor(i / 50)).padStart(2, "0")}`, value: i }),
    );
    expect(await upsertSamples(t.db, "w4", many, { batchSize: 37, concurrency: 4 })).toEqual({
      written: 500,
    });
    expect(await loadSamples(t.db, "w4", ["k7"], { start: "2026-03-01", end: "2026-03-31" })).toHaveLength(
      10,
    );
  });
});
