import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { minuteRunner } from "../../src/app/minute-runner.ts";
import { writeAudit } from "../../src/db/audit-log-repository.ts";
import { enqueueDelivery, listDeliveries } from "../../src/db/deliveries-repository.ts";
import { pruneOldRows } from "../../src/db/retention-repository.ts";
import { addSubscription } from "../../src/db/subscriptions-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_SCHEDULE_CATCH_UP_MINUTES: "3" } });
});
afterAll(async () => {
  await rt.close();
});

describe("every workspace in the database", () => {
  it("the minute runner queues each workspace's digests, in its own zone", async () => {
    await ensureWorkspace(rt.db, { id: "local" });
    await ensureWorkspace(rt.db, { id: "T-acme", timezone: "Europe/Berlin" });
    await ensureWorkspace(rt.db, { id: "T-globex", timezone: "America/New_York" });
    for (const ws of ["T-acme", "T-globex"])
      await addSubscription(rt.db, ws, {
        platform: "slack",
        channel: "kpis",
        kind: "digest",
        cron: "0 9 * * *",
        createdBy: "x",
      });
    rt.clock.set("2026-11-30T08:00:30Z"); // 09:00 in Berlin
    await minuteRunner(rt).tick();
    rt.clock.set("2026-11-30T14:00:30Z"); // 09:00 in New York
    await minuteRunner(rt).tick();
    expect((await listDeliveries(rt.db, "T-acme")).map((d) => d.idempotency_key)).toEqual([
      expect.stringMatching(/^digest:T-acme:\d+:2026-11-30T09:00$/),
    ]);
    expect((await listDeliveries(rt.db, "T-globex")).map((d) => d.idempotency_key)).toEqual([
      expect.stringMatching(/^digest:T-globex:\d+:2026-11-30T09:00$/),
    ]);
  });

  it("a workspace's notices go to its own admin channel on its own platform", async () => {
    await rt.db
      .updateTable("workspaces")
      .set({ admin_platform: "teams", admin_channel: "19:admins" })
      .where("id", "=", "T-acme")
      .execute();
    expect(await rt.adminDestination("T-acme")).toEqual({
      workspace: "T-acme",
      platform: "teams",
      channel: "19:admins",
    });
    expect(await rt.adminDestination("T-globex")).toBeNull();
    expect(await rt.adminDestination("local")).toEqual({
      workspace: "local",
      platform: "local",
      channel: "clg-admins",
    });
  });

  it("pruning by age removes finished deliveries and old claims, keeps pending work and the audit log", async () => {
    const old = new Date("2026-01-01T00:00:00Z");
    const base = {
      workspace: "local",
      platform: "local",
      channel: "p",
      payload: { message: { summary: "x", blocks: [] } },
    };
    const sent = await enqueueDelivery(rt.db, { ...base, idempotencyKey: "old-sent", now: old });
    await rt.db.updateTable("deliveries").set({ state: "sent" }).where("id", "=", sent.delivery.id).execute();
    await enqueueDelivery(rt.db, { ...base, idempotencyKey: "old-pending", now: old });
    await writeAudit(rt.db, "local", [
      {
        actor: "dana",
        action: "update",
        entity: "threshold",
        entityKey: "activation",
        before: null,
        after: 1,
        at: old,
      },
    ]);
    const auditBefore = await rt.db.selectFrom("audit_log").selectAll().execute();
    const removed = await pruneOldRows(rt.db, new Date("2026-06-01T00:00:00Z"));
    expect(removed.deliveries).toBe(1);
    expect((await listDeliveries(rt.db, "local", { channel: "p" })).map((d) => d.idempotency_key)).toEqual([
      "old-pending",
    ]);
    expect(auditBefore).toHaveLength(1);
    expect(await rt.db.selectFrom("audit_log").selectAll().execute()).toEqual(auditBefore);
    expect(removed.schedule_runs).toBeGreaterThanOrEqual(0);
  });
});
