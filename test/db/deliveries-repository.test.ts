import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimDeliveries,
  enqueueDelivery,
  extendLease,
  listDeliveries,
  markDeliverySent,
  markDeliveryUnsent,
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

  it("claims one row per channel, fences an expired holder out, and paces the channel", async () => {
    for (const k of ["a", "b"]) await enqueueDelivery(t.db, msg(`k-${k}`, "w2"));
    await enqueueDelivery(t.db, { ...msg("other-channel", "w2"), channel: "C2" });
    await enqueueDelivery(t.db, { ...msg("future", "w2"), channel: "C3", notBefore: later(3_600_000) });

    const first = await claimDeliveries(t.db, { now, limit: 10, leaseMs: 60_000, workspace: "w2" });
    expect(first.map((c) => c.row.idempotency_key).sort()).toEqual(["k-a", "other-channel"]);
    expect(first.every((c) => c.row.state === "sending" && !c.uncertain)).toBe(true);
    // C1 is held by the send in flight: its second row waits, on this replica or any other.
    expect(
      await claimDeliveries(t.db, { now: later(5_000), limit: 10, leaseMs: 60_000, workspace: "w2" }),
    ).toEqual([]);

    const a = first.find((c) => c.row.idempotency_key === "k-a");
    if (!a) throw new Error("claim missing");
    // The holder stalls past its lease; another worker re-claims the row and gets a new token.
    const again = await claimDeliveries(t.db, {
      now: later(61_000),
      limit: 10,
      leaseMs: 60_000,
      workspace: "w2",
    });
    const reclaimed = again.find((c) => c.row.id === a.row.id);
    expect(reclaimed?.uncertain).toBe(true);
    expect(reclaimed?.token).not.toBe(a.token);
    // The stalled holder can neither renew nor finish; only the new holder marks it sent.
    expect(await extendLease(t.db, { id: a.row.id, token: a.token }, later(200_000))).toBe(false);
    const finish = { at: later(62_000), channelFreeAt: later(62_000), platformMessageId: "m1" };
    expect(await markDeliverySent(t.db, { ...finish, id: a.row.id, token: a.token })).toBe(false);
    if (!reclaimed) throw new Error("re-claim missing");
    expect(
      await markDeliverySent(t.db, {
        ...finish,
        id: a.row.id,
        token: reclaimed.token,
        channelFreeAt: later(63_000),
      }),
    ).toBe(true);
    expect(await markDeliverySent(t.db, { ...finish, id: a.row.id, token: reclaimed.token })).toBe(false);

    // The channel is free again one pace after the send started, not before.
    expect(
      (await claimDeliveries(t.db, { now: later(62_500), limit: 10, leaseMs: 60_000, workspace: "w2" })).map(
        (c) => c.row.idempotency_key,
      ),
    ).toEqual([]);
    const next = await claimDeliveries(t.db, {
      now: later(63_000),
      limit: 10,
      leaseMs: 60_000,
      workspace: "w2",
    });
    expect(next.map((c) => c.row.idempotency_key)).toEqual(["k-b"]);
    expect(next[0]?.row.attempts).toBe(1);
  });

  it("a 429 pauses the whole channel until Retry-After, without counting an attempt", async () => {
    for (const k of ["x", "y"]) await enqueueDelivery(t.db, { ...msg(`rl-${k}`, "w4"), channel: "busy" });
    const [c] = await claimDeliveries(t.db, { now, limit: 10, leaseMs: 60_000, workspace: "w4" });
    if (!c) throw new Error("claim missing");
    expect(
      await markDeliveryUnsent(t.db, {
        id: c.row.id,
        token: c.token,
        at: now,
        channelFreeAt: later(30_000),
        channelPausedUntil: later(30_000),
        error: "ratelimited",
        reason: "rate_limited",
        outcome: { state: "pending", retryAt: later(30_000), countAttempt: false },
      }),
    ).toBe(true);
    expect(
      await claimDeliveries(t.db, { now: later(29_000), limit: 10, leaseMs: 60_000, workspace: "w4" }),
    ).toEqual([]);
    const after = await claimDeliveries(t.db, {
      now: later(30_000),
      limit: 10,
      leaseMs: 60_000,
      workspace: "w4",
    });
    expect(after.map((x) => [x.row.idempotency_key, x.row.attempts])).toEqual([["rl-x", 1]]);
  });

  it("a reply waits while its parent is unsent, then carries the parent's message id", async () => {
    await enqueueDelivery(t.db, { ...msg("alert", "w5"), channel: "P" });
    await enqueueDelivery(t.db, {
      ...msg("recovery", "w5"),
      channel: "Q",
      kind: "reply",
      parentKey: "alert",
    });
    const first = await claimDeliveries(t.db, { now, limit: 10, leaseMs: 60_000, workspace: "w5" });
    expect(first.map((c) => c.row.idempotency_key)).toEqual(["alert"]);
    const [p] = first;
    if (!p) throw new Error("claim missing");
    await markDeliverySent(t.db, {
      id: p.row.id,
      token: p.token,
      at: now,
      channelFreeAt: now,
      platformMessageId: "ts-1",
    });
    const [child] = await claimDeliveries(t.db, { now, limit: 10, leaseMs: 60_000, workspace: "w5" });
    expect(child?.row.kind).toBe("reply");
    expect(child?.parent).toEqual({ state: "sent", platformMessageId: "ts-1" });
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    "concurrent transactions claim disjoint channels (SKIP LOCKED and the channel hold)",
    async () => {
      for (let i = 0; i < 20; i++)
        await enqueueDelivery(t.db, { ...msg(`c-${i}`, "w3"), channel: `ch-${i % 10}` });
      let release = () => {};
      const hold = new Promise<void>((r) => {
        release = r;
      });
      let claimedInA: number[] = [];
      const a = t.db.transaction().execute(async (trx) => {
        claimedInA = (await claimDeliveries(trx, { now, limit: 4, leaseMs: 60_000, workspace: "w3" })).map(
          (d) => d.row.id,
        );
        await hold; // keep the locks while B claims
      });
      while (claimedInA.length === 0) await new Promise((r) => setTimeout(r, 5));
      // B meets A's channels while A still holds them: it waits for A, then finds them taken.
      setTimeout(release, 300);
      const b = (await claimDeliveries(t.db, { now, limit: 20, leaseMs: 60_000, workspace: "w3" })).map(
        (d) => d.row.id,
      );
      await a;
      expect(claimedInA).toHaveLength(4);
      expect(b).toHaveLength(6);
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
