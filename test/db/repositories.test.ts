import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "../../src/crypto/secret-box.ts";
import { listAudit, writeAudit } from "../../src/db/audit-log-repository.ts";
import { listKpiStatus, upsertKpiStatus } from "../../src/db/kpi-status-repository.ts";
import { activeMutes, addMute, isMuted, removeMutes } from "../../src/db/mutes-repository.ts";
import {
  getSource,
  openSourceSecret,
  recordPollFailure,
  recordPollSuccess,
  sourceSecretContext,
} from "../../src/db/sources-repository.ts";
import { insertStatusChanges, listStatusChangesSince } from "../../src/db/status-changes-repository.ts";
import {
  addSubscription,
  listSubscriptions,
  removeChannelSubscriptions,
  removeSubscription,
} from "../../src/db/subscriptions-repository.ts";
import { ensureWorkspace, listWorkspaces } from "../../src/db/workspaces-repository.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const at = (iso: string) => new Date(iso);
const KEY = "a test key that is long enough";

describe("repositories", () => {
  it("ensures workspaces without overwriting them", async () => {
    await ensureWorkspace(t.db, { id: "T1", name: "Acme", timezone: "Europe/Berlin" });
    const again = await ensureWorkspace(t.db, { id: "T1", name: "Other" });
    expect(again).toMatchObject({ id: "T1", name: "Acme", timezone: "Europe/Berlin" });
    expect((await listWorkspaces(t.db)).map((w) => w.id)).toEqual(["T1"]);
  });

  it("upserts and lists KPI status per workspace", async () => {
    const row = {
      kpi: "nps",
      window: "28d",
      status: "amber",
      since: at("2026-01-01T00:00:00Z"),
      evaluated_at: at("2026-01-02T00:00:00Z"),
      value: 31,
      pending_status: null,
    };
    await upsertKpiStatus(t.db, "w1", [row, { ...row, kpi: "churn" }]);
    await upsertKpiStatus(t.db, "w1", [{ ...row, status: "red", pending_count: 2 }]);
    await upsertKpiStatus(t.db, "w2", [row]);
    const rows = await listKpiStatus(t.db, "w1");
    expect(rows.map((r) => [r.kpi, r.status, r.pending_count, r.segment])).toEqual([
      ["churn", "amber", 0, ""],
      ["nps", "red", 2, ""],
    ]);
  });

  it("records status changes and lists them since a time", async () => {
    const base = { window: "28d", kind: "status" as const, value: 1, detail: { rule: "below 30" } };
    await insertStatusChanges(t.db, "w1", [
      { ...base, kpi: "nps", from_status: "green", to_status: "amber", at: at("2026-01-01T10:00:00Z") },
      { ...base, kpi: "nps", from_status: "amber", to_status: "red", at: at("2026-01-03T10:00:00Z") },
    ]);
    const since = await listStatusChangesSince(t.db, "w1", at("2026-01-02T00:00:00Z"));
    expect(since.map((c) => [c.to_status, c.detail])).toEqual([["red", { rule: "below 30" }]]);
    expect(await listStatusChangesSince(t.db, "w2", at("2020-01-01T00:00:00Z"))).toEqual([]);
  });

  it("adds subscriptions idempotently and removes them", async () => {
    const sub = {
      platform: "slack",
      channel: "C1",
      kind: "alerts" as const,
      filter: { stage: "activation" as const },
      createdBy: "U1",
    };
    const a = await addSubscription(t.db, "w1", sub);
    const b = await addSubscription(t.db, "w1", { ...sub, createdBy: "U2" });
    expect([a.created, b.created]).toEqual([true, false]);
    expect(b.subscription.id).toBe(a.subscription.id);
    const digest = await addSubscription(t.db, "w1", { ...sub, kind: "digest", cron: "0 9 * * 1" });
    expect(digest.created).toBe(true);
    expect(await listSubscriptions(t.db, "w1", { kind: "digest" })).toHaveLength(1);
    expect(await removeSubscription(t.db, "w2", a.subscription.id)).toBe(false);
    expect(await removeSubscription(t.db, "w1", a.subscription.id)).toBe(true);
    expect(await removeChannelSubscriptions(t.db, "w1", { platform: "slack", channel: "C1" })).toBe(1);
    expect(await listSubscriptions(t.db, "w1")).toEqual([]);
  });

  it("mutes a KPI until a time", async () => {
    await addMute(t.db, "w1", { kpi: "nps", until: at("2026-01-05T00:00:00Z"), createdBy: "U1" });
    expect(await isMuted(t.db, "w1", "nps", at("2026-01-04T00:00:00Z"))).toBe(true);
    expect(await isMuted(t.db, "w1", "nps", at("2026-01-06T00:00:00Z"))).toBe(false);
    expect(await isMuted(t.db, "w2", "nps", at("2026-01-04T00:00:00Z"))).toBe(false);
    expect(await activeMutes(t.db, "w1", at("2026-01-04T00:00:00Z"))).toHaveLength(1);
    expect(await removeMutes(t.db, "w1", "nps")).toBe(1);
  });

  it("tells admins only about the first poll failure in a row, and opens the source secret", async () => {
    await t.db
      .insertInto("sources")
      .values({
        workspace: "w1",
        name: "stripe",
        kind: "stripe",
        schedule: "0 * * * *",
        config: "{}",
        secret_ciphertext: encryptSecret("sk_live_x", KEY, sourceSecretContext("w1", "stripe")),
      })
      .execute();
    const fail = (h: number) =>
      recordPollFailure(t.db, "w1", "stripe", "401 Unauthorized", at(`2026-01-01T0${h}:00:00Z`));
    expect(await fail(1)).toEqual({ notifyAdmins: true });
    expect(await fail(2)).toEqual({ notifyAdmins: false });
    await recordPollSuccess(t.db, "w1", "stripe", at("2026-01-01T03:00:00Z"));
    expect(await fail(4)).toEqual({ notifyAdmins: true });
    const src = await getSource(t.db, "w1", "stripe");
    expect(src?.last_error).toBe("401 Unauthorized");
    expect(src && openSourceSecret(src, KEY)).toBe("sk_live_x");
    expect(await getSource(t.db, "w2", "stripe")).toBeUndefined();
  });

  it("writes and lists the audit log", async () => {
    await writeAudit(t.db, "w1", [
      {
        actor: "U1",
        action: "mute",
        entity: "kpi",
        entityKey: "nps",
        before: null,
        after: { until: "2026-01-05" },
      },
    ]);
    const rows = await listAudit(t.db, "w1");
    expect(rows.map((r) => [r.actor, r.action, r.entity_key, r.before, r.after])).toEqual([
      ["U1", "mute", "nps", null, { until: "2026-01-05" }],
    ]);
    expect(await listAudit(t.db, "w2")).toEqual([]);
  });
});
