import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimDueDeliveries,
  enqueueDelivery,
  listDeliveries,
  markDeliveryFailed,
  markDeliverySent,
} from "../../src/db/deliveries-repository.ts";
import { claimScheduleRun } from "../../src/db/schedule-runs-repository.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const now = new Date("2026-03-02T09:00:00Z");
const later = (ms: number) => new Date(now.getTime() + ms);
const msg = (key: string, ws = "w1") => ({
  idempotencyKey: key,
  workspace: ws,
  platform: "slack",
  channel: "C1",
  payload: { text: key },
  now,
});

describe("deliveries outbox", () => {
  it("keeps one delivery per idempotency key", async () => {
    const a = await enqueueDelivery(t.db, msg("digest:1:2026-03-02"));
    const b = await enqueueDelivery(t.db, { ...msg("digest:1:2026-03-02"), payload: { text: "other" } });
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.delivery.id).toBe(a.delivery.id);
    expect(b.delivery.payload).toEqual({ text: "digest:1:2026-03-02" });
    expect(await listDeliveries(t.db, "w1")).toHaveLength(1);
  });

  it("hands each due delivery to one claimer, retries with backoff, and ends failed or sent", async () => {
    for (const k of ["a", "b", "c", "d", "e"]) await enqueueDelivery(t.db, msg(`k-${k}`, "w2"));
    await enqueueDelivery(t.db, { ...msg("future", "w2"), notBefore: later(3_600_000) });

    const first = await claimDueDeliveries(t.db, { now, limit: 3, workspace: "w2" });
    const second = await claimDueDeliveries(t.db, { now, limit: 10, workspace: "w2" });
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(2);
    const ids = [...first, ...second].map((d) => d.id);
    expect(new Set(ids).size).toBe(5);
    expect(await claimDueDeliveries(t.db, { now, limit: 10, workspace: "w2" })).toEqual([]);

    const [d1, d2, d3] = first;
    if (!d1 || !d2 || !d3) throw new Error("claims missing");
    await markDeliverySent(t.db, d1.id, { at: now, platformMessageId: "1700000000.0001" });
    const retry = await markDeliveryFailed(t.db, d2.id, {
      at: now,
      error: "rate_limited",
      retryable: true,
      retryAfterMs: 5000,
    });
    expect(retry).toEqual({ state: "pending", nextAttemptAt: later(5000) });
    expect(
      await markDeliveryFailed(t.db, d3.id, { at: now, error: "channel_not_found", retryable: false }),
    ).toEqual({
      state: "failed",
      nextAttemptAt: null,
    });
    // After the lease runs out, unfinished claims are due again; the retried one after its backoff.
    const again = await claimDueDeliveries(t.db, { now: later(61_000), limit: 10, workspace: "w2" });
    expect(again.map((d) => d.id).sort()).toEqual([d2.id, ...second.map((d) => d.id)].sort());
    expect(again.find((d) => d.id === d2.id)?.attempts).toBe(2);

    const states = Object.fromEntries(
      (await listDeliveries(t.db, "w2")).map((d) => [d.idempotency_key, d.state]),
    );
    expect(states).toMatchObject({ "k-a": "sent", "k-c": "failed", future: "pending" });
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "concurrent transactions claim disjoint rows (SKIP LOCKED)",
    async () => {
      for (let i = 0; i < 20; i++) await enqueueDelivery(t.db, msg(`c-${i}`, "w3"));
      let release = () => {};
      const hold = new Promise<void>((r) => {
        release = r;
      });
      let claimedInA: number[] = [];
      const a = t.db.transaction().execute(async (trx) => {
        claimedInA = (await claimDueDeliveries(trx, { now, limit: 8, workspace: "w3" })).map((d) => d.id);
        await hold; // keep the row locks while B claims
      });
      while (claimedInA.length === 0) await new Promise((r) => setTimeout(r, 5));
      const b = await t.db
        .transaction()
        .execute(async (trx) =>
          (await claimDueDeliveries(trx, { now, limit: 20, workspace: "w3" })).map((d) => d.id),
        );
      release();
      await a;
      expect(claimedInA).toHaveLength(8);
      expect(b).toHaveLength(12);
      expect(b.filter((id) => claimedInA.includes(id))).toEqual([]);
    },
  );
});

describe("schedule runs", () => {
  it("gives a slot to exactly one claimer", async () => {
    const slot = new Date("2026-03-02T09:00:00Z");
    const results = await Promise.all(
      ["r1", "r2", "r3", "r4"].map((claimedBy) =>
        claimScheduleRun(t.db, { job: "digest:7", slot, claimedBy }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await claimScheduleRun(t.db, { job: "digest:7", slot: later(60_000), claimedBy: "r2" })).toBe(
      true,
    );
    expect(await claimScheduleRun(t.db, { job: "digest:8", slot, claimedBy: "r2" })).toBe(true);
  });
});
