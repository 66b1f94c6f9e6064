import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeAudit } from "../../src/db/audit-log-repository.ts";
import { enqueueDelivery } from "../../src/db/deliveries-repository.ts";
import { pruneOldRows } from "../../src/db/retention-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const WS = "retention";
const OLD = new Date("2026-01-10T00:00:00Z");
const RECENT = new Date("2026-03-20T00:00:00Z");
const BEFORE = new Date("2026-03-01T00:00:00Z"); // CLG_RETENTION_DAYS ago

const keysOf = async (table: "deliveries") =>
  (await t.db.selectFrom(table).select("idempotency_key").where("workspace", "=", WS).execute())
    .map((r) => r.idempotency_key)
    .sort();

async function incident(kpi: string, resolvedAt: Date | null, rootKey: string) {
  const row = await t.db
    .insertInto("incidents")
    .values({
      workspace: WS,
      kpi,
      window: "7d",
      status: resolvedAt ? "green" : "red",
      worst: "red",
      opened_at: OLD,
      resolved_at: resolvedAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await t.db
    .insertInto("incident_notices")
    .values({
      incident_id: row.id,
      platform: "slack",
      channel: "C1",
      seq: 1,
      status: "red",
      kind: "post",
      delivery_key: rootKey,
      root_key: rootKey,
      message: null,
      created_at: OLD,
    })
    .execute();
  return row.id;
}

async function delivery(
  key: string,
  state: string,
  at: Date,
  over: { kind?: "reply"; parentKey?: string } = {},
) {
  await enqueueDelivery(t.db, {
    idempotencyKey: key,
    workspace: WS,
    platform: "slack",
    channel: "C1",
    payload: { message: { summary: key, blocks: [] } },
    now: at,
    ...over,
  });
  await t.db
    .updateTable("deliveries")
    .set({ state: state as never })
    .where("idempotency_key", "=", key)
    .execute();
}

describe("pruning by age (CLG_RETENTION_DAYS)", () => {
  it("removes what is old and finished, keeps what is open, pending, still referenced, recent, and the audit log", async () => {
    await ensureWorkspace(t.db, { id: WS });
    for (const [job, at] of [
      ["old-slot", OLD],
      ["new-slot", RECENT],
    ] as const)
      await t.db
        .insertInto("schedule_runs")
        .values({ job, slot: at, claimed_by: "r1", claimed_at: at })
        .execute();
    for (const at of [OLD, RECENT])
      await t.db
        .insertInto("status_changes")
        .values({ workspace: WS, kpi: "k", window: "7d", kind: "status", detail: "{}", at })
        .execute();
    for (const [day, at] of [
      ["2026-01-09", OLD],
      ["2026-03-19", RECENT],
    ] as const)
      await t.db
        .insertInto("observations")
        .values({
          workspace: WS,
          kpi: "k",
          window: "7d",
          segment: "",
          day,
          observed: "red",
          evaluated_at: at,
        })
        .execute();
    await t.db
      .insertInto("alert_keys")
      .values([
        { workspace: WS, kind: "anomaly", kpi: "k", key: "very-old", at: new Date("2026-01-01T00:00:00Z") },
        {
          workspace: WS,
          kind: "forecast",
          kpi: "k",
          key: "a-week-before",
          at: new Date("2026-02-25T00:00:00Z"),
        },
      ])
      .execute();
    const resolvedLongAgo = await incident("gone", new Date("2026-01-20T00:00:00Z"), "alert:gone");
    const stillOpen = await incident("open", null, "alert:open");
    const resolvedLately = await incident("lately", new Date("2026-03-10T00:00:00Z"), "alert:lately");
    await delivery("alert:gone", "sent", OLD);
    await delivery("alert:open", "sent", OLD); // the thread root of an open incident
    await delivery("alert:lately", "sent", OLD);
    await delivery("old-sent", "sent", OLD);
    await delivery("old-failed", "failed", OLD);
    await delivery("old-skipped", "skipped", OLD);
    await delivery("old-pending", "pending", OLD);
    await delivery("old-parent", "sent", OLD);
    await delivery("waiting-reply", "pending", RECENT, { kind: "reply", parentKey: "old-parent" });
    await delivery("new-sent", "sent", RECENT);
    await writeAudit(t.db, WS, [
      { actor: "x", action: "catalog.update", entity: "kpi", entityKey: "k", before: 1, after: 2, at: OLD },
    ]);

    const removed = await pruneOldRows(t.db, BEFORE);

    expect(removed).toMatchObject({
      schedule_runs: 1,
      status_changes: 1,
      observations: 1,
      alert_keys: 1,
      incidents: 1,
      incident_notices: 1,
      deliveries: 4, // alert:gone, old-sent, old-failed, old-skipped
    });
    expect(await keysOf("deliveries")).toEqual(
      ["alert:lately", "alert:open", "new-sent", "old-parent", "old-pending", "waiting-reply"].sort(),
    );
    const ids = (await t.db.selectFrom("incidents").select("id").where("workspace", "=", WS).execute()).map(
      (r) => r.id,
    );
    expect(ids.sort()).toEqual([stillOpen, resolvedLately].sort());
    expect(ids).not.toContain(resolvedLongAgo);
    expect(
      (await t.db.selectFrom("schedule_runs").select("job").execute())
        .map((r) => r.job)
        .filter((j) => j.endsWith("slot")),
    ).toEqual(["new-slot"]);
    expect(await t.db.selectFrom("alert_keys").select("key").where("workspace", "=", WS).execute()).toEqual([
      { key: "a-week-before" },
    ]);
    expect(await t.db.selectFrom("audit_log").select("at").where("workspace", "=", WS).execute()).toEqual([
      { at: OLD },
    ]);
    // A second run finds nothing more.
    expect(Object.values(await pruneOldRows(t.db, BEFORE)).every((n) => n === 0)).toBe(true);
  });
});
