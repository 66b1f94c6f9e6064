import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSegmentStatus, upsertKpiStatus } from "../../src/db/kpi-status-repository.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
const since = new Date("2026-11-20T08:30:00Z");
const state = (confirmed: string, day = "2026-11-22") => ({
  day,
  confirmed,
  since: since.toISOString(),
  pending: null,
  overlay: null,
  value: 12.5,
  rules: [{ status: "red", below: 10 }],
});
const row = (kpi: string, window: string, segment: string, extra = {}) => ({
  kpi,
  window,
  segment,
  status: "green",
  since,
  pending_status: null,
  pending_count: 0,
  value: 12.5,
  evaluated_at: new Date("2026-11-23T08:00:00Z"),
  day: "2026-11-22",
  state: state("green"),
  base: state("amber", "2026-11-21"),
  ...extra,
});

beforeAll(async () => {
  t = await openTestDb();
  await upsertKpiStatus(t.db, "w", [
    row("activation", "28d", ""),
    row("activation", "7d", "", { state: state("red"), base: null }),
    row("activation", "28d", "plan:pro", { state: state("amber") }),
    // A row written before the status machine stored its state is not read as one.
    row("legacy", "28d", "", { day: null, state: null, base: null }),
  ]);
  await upsertKpiStatus(t.db, "other", [row("activation", "28d", "")]);
});
afterAll(async () => {
  await t.close();
});

describe("listSegmentStatus", () => {
  it("reads the stored states of one segment of one workspace", async () => {
    const whole = await listSegmentStatus(t.db, "w");
    const byKey = (a: { kpi: string; window: string }, b: { kpi: string; window: string }) =>
      `${a.kpi}${a.window}`.localeCompare(`${b.kpi}${b.window}`);
    expect([...whole].sort(byKey)).toEqual([
      { kpi: "activation", window: "28d", state: state("green"), base: state("amber", "2026-11-21") },
      { kpi: "activation", window: "7d", state: state("red"), base: null },
    ]);
    expect(await listSegmentStatus(t.db, "w", "plan:pro")).toMatchObject([{ state: { confirmed: "amber" } }]);
    expect(await listSegmentStatus(t.db, "nobody")).toEqual([]);
  });

  it("reads only the KPIs asked about, when given", async () => {
    await upsertKpiStatus(t.db, "w", [row("signups", "28d", "", { state: state("red") })]);
    expect((await listSegmentStatus(t.db, "w", "", ["signups"])).map((r) => r.kpi)).toEqual(["signups"]);
    expect((await listSegmentStatus(t.db, "w", "", ["activation", "legacy"])).map((r) => r.kpi)).toEqual([
      "activation",
      "activation",
    ]);
    expect(await listSegmentStatus(t.db, "w", "", [])).toEqual([]);
    expect(await listSegmentStatus(t.db, "w")).toHaveLength(3);
  });

  it("a second upsert of the same key replaces its state", async () => {
    await upsertKpiStatus(t.db, "w", [row("activation", "7d", "", { state: state("amber", "2026-11-23") })]);
    const got = (await listSegmentStatus(t.db, "w")).find((r) => r.window === "7d");
    expect(got?.state).toEqual(state("amber", "2026-11-23"));
  });
});
