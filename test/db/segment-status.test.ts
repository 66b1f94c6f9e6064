import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listKpiStatus, listSegmentStatus, upsertKpiStatus } from "../../src/db/kpi-status-repository.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
const since = new Date("2026-11-20T08:30:00Z");
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
  ...extra,
});

beforeAll(async () => {
  t = await openTestDb();
  await upsertKpiStatus(t.db, "w", [
    row("activation", "28d", ""),
    row("activation", "7d", "", { status: "amber", pending_status: "red", pending_count: 1, value: null }),
    row("activation", "28d", "plan:pro", { status: "red" }),
  ]);
  await upsertKpiStatus(t.db, "other", [row("activation", "28d", "")]);
});
afterAll(async () => {
  await t.close();
});

describe("listSegmentStatus", () => {
  it("reads one segment of one workspace, as listKpiStatus has it", async () => {
    const whole = await listSegmentStatus(t.db, "w");
    const all = (await listKpiStatus(t.db, "w")).filter((r) => r.segment === "");
    const pick = ({
      kpi,
      window,
      status,
      since,
      pending_status,
      pending_count,
      value,
    }: (typeof all)[number]) => ({
      kpi,
      window,
      status,
      since,
      pending_status,
      pending_count,
      value,
    });
    const byKey = (a: { kpi: string; window: string }, b: { kpi: string; window: string }) =>
      `${a.kpi}${a.window}`.localeCompare(`${b.kpi}${b.window}`);
    expect([...whole].sort(byKey)).toEqual(all.map(pick).sort(byKey));
    expect(whole.find((r) => r.window === "7d")).toMatchObject({
      pending_status: "red",
      pending_count: 1,
      value: null,
    });
    expect(whole[0]?.since.toISOString()).toBe(since.toISOString());
    expect(await listSegmentStatus(t.db, "w", "plan:pro")).toMatchObject([{ status: "red" }]);
    expect(await listSegmentStatus(t.db, "nobody")).toEqual([]);
  });
});
