import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatSender, Destination, SendRef } from "../../src/app/chat-sender.ts";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { DeliveryError } from "../../src/app/delivery-error.ts";
import { enqueueDelivery, listDeliveries } from "../../src/db/deliveries-repository.ts";
import { addSubscription } from "../../src/db/subscriptions-repository.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false });
});
afterAll(async () => {
  await rt.close();
});

const message = (summary: string) => ({ message: { summary, blocks: [{ type: "text", text: summary }] } });
const enqueue = (key: string, over: Partial<Parameters<typeof enqueueDelivery>[1]> = {}) =>
  enqueueDelivery(rt.db, {
    idempotencyKey: key,
    workspace: "local",
    platform: "local",
    channel: "ops",
    payload: message(key),
    now: rt.clock.now(),
    ...over,
  });
const advance = (ms: number) => rt.clock.set(new Date(rt.clock.now().getTime() + ms));
/** Runs the worker until nothing more is due now. */
const drain = async () => {
  for (let i = 0; i < 10; i++) if ((await deliverDue(rt)).claimed === 0) return;
};
const stateOf = async (key: string) =>
  (
    await rt.db
      .selectFrom("deliveries")
      .selectAll()
      .where("idempotency_key", "=", key)
      .executeTakeFirstOrThrow()
  ).state;

describe("outbox kinds: post, reply in thread, update of the earlier message", () => {
  it("the local channel shows the reply in the alert's thread and the update as an edit", async () => {
    await enqueue("alert-1");
    await enqueue("alert-1:recovered", { kind: "reply", parentKey: "alert-1" });
    await enqueue("alert-1:header", {
      kind: "update",
      parentKey: "alert-1",
      payload: message("resolved after 3 days"),
    });
    await drain();
    const entries = rt.channelLog.since(0, "ops");
    const root = entries.find((e) => e.message?.summary === "resolved after 3 days");
    const reply = entries.find((e) => e.message?.summary === "alert-1:recovered");
    expect(root?.editedAt).toBeDefined();
    expect(reply?.threadOf).toBe(root?.id);
    expect(entries).toHaveLength(2);
    expect(await stateOf("alert-1:header")).toBe("sent");
  });

  it("a failed parent: the reply goes out as a post, the update is dropped", async () => {
    await enqueue("gone", { platform: "teams" }); // no teams connection here: fails for good
    await enqueue("gone:reply", { kind: "reply", parentKey: "gone", channel: "ops2" });
    await enqueue("gone:update", { kind: "update", parentKey: "gone", channel: "ops2" });
    await drain();
    expect(await stateOf("gone")).toBe("failed");
    expect(await stateOf("gone:reply")).toBe("sent");
    expect(await stateOf("gone:update")).toBe("skipped");
    const ops2 = rt.channelLog.since(0, "ops2");
    expect(ops2.map((e) => [e.message?.summary, e.threadOf])).toEqual([["gone:reply", undefined]]);
  });

  it("a stale alert is skipped, not posted late as if new", async () => {
    await enqueue("late", { channel: "ops3", staleAt: new Date(rt.clock.now().getTime() - 1) });
    await drain();
    expect(await stateOf("late")).toBe("skipped");
    expect(rt.channelLog.since(0, "ops3")).toEqual([]);
  });
});

/** The network edge of a chat platform, recording what arrived; each test scripts its answers. */
function edgeSender(
  answer: (d: Destination, key: string) => Promise<string>,
): ChatSender & { got: string[] } {
  const got: string[] = [];
  return {
    platform: "slack",
    limits: [{ max: 1, perMs: 1_000 }],
    got,
    async send(destination: Destination, _m, _c, ref?: SendRef) {
      const key = ref?.idempotencyKey ?? "";
      const id = await answer(destination, key);
      got.push(key);
      return { messageId: id };
    },
    async findSent(_d, key) {
      return got.includes(key) ? { messageId: `found-${key}` } : null;
    },
  };
}

describe("fencing and permanent errors at the platform edge", () => {
  it("a worker paused past its lease cannot record a send the new holder already reconciled", async () => {
    let releaseFirst = () => {};
    const first = new Promise<void>((r) => {
      releaseFirst = r;
    });
    let calls = 0;
    const edge = edgeSender(async (_d, key) => {
      calls++;
      if (calls === 1) await first; // the first holder stalls inside the send
      return `ts-${key}`;
    });
    rt.senders.set("slack", edge);
    await enqueue("fenced", { platform: "slack", channel: "C-fence" });
    const stalled = deliverDue(rt);
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));
    advance(61_000); // the lease runs out while the first worker is stuck
    // The message reaches the platform just before the first worker resumes.
    const secondWorker = (async () => {
      edge.got.push("fenced");
      return deliverDue(rt);
    })();
    const second = await secondWorker;
    releaseFirst();
    const firstResult = await stalled;
    expect(second.sent).toBe(1);
    expect(firstResult.fenced).toBe(1);
    expect(calls).toBe(1); // the new holder asked the platform instead of posting again
    const row = await rt.db
      .selectFrom("deliveries")
      .selectAll()
      .where("idempotency_key", "=", "fenced")
      .executeTakeFirstOrThrow();
    expect([row.state, row.platform_message_id]).toEqual(["sent", "found-fenced"]);
    rt.senders.delete("slack");
  });

  it("channel_not_found stops retries, pauses the channel's subscriptions and tells the admins once", async () => {
    const edge = edgeSender(async () => {
      throw new DeliveryError("Slack answered channel_not_found", {
        reason: "channel_gone",
        platformCode: "channel_not_found",
        cause: new Error("an API error"),
      });
    });
    rt.senders.set("slack", edge);
    const { subscription: sub } = await addSubscription(rt.db, "local", {
      platform: "slack",
      channel: "C-gone",
      kind: "digest",
      cron: "0 9 * * *",
      createdBy: "dana",
    });
    await enqueue("gone-1", { platform: "slack", channel: "C-gone" });
    await enqueue("gone-2", { platform: "slack", channel: "C-gone" });
    await drain();
    expect([await stateOf("gone-1"), await stateOf("gone-2")]).toEqual(["failed", "failed"]);
    const paused = await rt.db
      .selectFrom("subscriptions")
      .selectAll()
      .where("id", "=", sub.id)
      .executeTakeFirstOrThrow();
    expect(paused.paused_reason).toBe("channel_not_found");
    const notices = (await listDeliveries(rt.db, "local", { channel: rt.config.adminChannel })).filter((d) =>
      d.idempotency_key.startsWith("channel-unreachable:"),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]?.platform).toBe("local");
    rt.senders.delete("slack");
  });

  it("a send that cannot be recorded is never retried as new: the next claim reconciles it", async () => {
    const edge = edgeSender(async (_d, key) => `ts-${key}`);
    rt.senders.set("slack", edge);
    // The database refuses to record any send, as when the connection drops right after the post.
    await sql`create function refuse_sent() returns trigger language plpgsql as $$
      begin if new.state = 'sent' then raise exception 'connection lost'; end if; return new; end $$`.execute(
      rt.db,
    );
    await sql`create trigger refuse_sent before update on deliveries
      for each row execute function refuse_sent()`.execute(rt.db);
    try {
      await enqueue("unrecorded", { platform: "slack", channel: "C-unrecorded" });
      await deliverDue(rt);
      expect(edge.got).toEqual(["unrecorded"]);
      expect(await stateOf("unrecorded")).toBe("sending");
    } finally {
      await sql`drop trigger refuse_sent on deliveries`.execute(rt.db);
      await sql`drop function refuse_sent()`.execute(rt.db);
    }
    advance(61_000); // the lease runs out; the next claim is uncertain and asks the platform first
    await drain();
    expect(edge.got).toEqual(["unrecorded"]);
    expect(await stateOf("unrecorded")).toBe("sent");
    rt.senders.delete("slack");
  });
});

describe("pacing counts from the platform's answer", () => {
  it("a slow answer holds the channel a full pace after it, so arrivals stay a pace apart", async () => {
    const edge = edgeSender(async (_d, key) => {
      advance(700); // the request is 700 ms on its way and back
      return `ts-${key}`;
    });
    rt.senders.set("slack", edge);
    await enqueue("slow-1", { platform: "slack", channel: "C-slow" });
    const start = rt.clock.now().getTime();
    expect((await deliverDue(rt)).sent).toBe(1);
    const pace = await rt.db
      .selectFrom("channel_pace")
      .select("free_at")
      .where("channel", "=", "C-slow")
      .executeTakeFirstOrThrow();
    // Free again 1 s after the answer (start + 700 + 1000), not 1 s after the request started.
    expect(pace.free_at.getTime()).toBe(start + 1_700);
  });
});
