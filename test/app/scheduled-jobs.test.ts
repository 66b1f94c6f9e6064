import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cronFiresAt, cronSlotAt, minuteSlot } from "../../src/app/cron-slot.ts";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { minuteRunner } from "../../src/app/minute-runner.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { getSource } from "../../src/db/sources-repository.ts";
import { addSubscription } from "../../src/db/subscriptions-repository.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

describe("cronFiresAt", () => {
  it.each([
    ["0 9 * * 1", "UTC", "2026-11-23T09:00:00Z", true],
    ["0 9 * * 1", "UTC", "2026-11-23T09:01:00Z", false],
    ["0 9 * * 1", "UTC", "2026-11-24T09:00:00Z", false],
    ["0 9 * * 1-5", "Europe/Berlin", "2026-11-23T08:00:00Z", true],
    ["0 9 * * 1-5", "Europe/Berlin", "2026-07-06T07:00:00Z", true],
    ["30 8 * * *", "America/New_York", "2026-11-23T13:30:00Z", true],
    ["not a cron", "UTC", "2026-11-23T09:00:00Z", false],
  ])("%s in %s at %s: %s", (cron, tz, at, fires) => {
    expect(cronFiresAt(cron, tz, new Date(at))).toBe(fires);
  });

  it("slots are whole minutes", () => {
    expect(minuteSlot(new Date("2026-11-23T09:00:42.123Z")).toISOString()).toBe("2026-11-23T09:00:00.000Z");
  });
});

/** Every UTC minute of a day at which the cron fires, with the local slot it fires as. */
function firings(cron: string, tz: string, fromIso: string): string[] {
  const out: string[] = [];
  const start = new Date(fromIso).getTime();
  for (let t = start; t < start + 24 * 3_600_000; t += 60_000) {
    const hit = cronSlotAt(cron, tz, new Date(t));
    if (hit) out.push(`${new Date(t).toISOString().slice(0, 16)}=${hit.localKey.slice(11)}`);
  }
  return out;
}

describe("DST: a repeated local time is one slot, a missing one fires at the next valid minute", () => {
  it.each([
    // New York, autumn: 01:30 happens at 05:30Z (EDT) and 06:30Z (EST): one local slot, claimed once.
    [
      "30 1 * * *",
      "America/New_York",
      "2026-11-01T02:00Z",
      ["2026-11-01T05:30=01:30", "2026-11-01T06:30=01:30"],
    ],
    // New York, spring: 01:30 exists (the gap is 02:00-03:00) and fires once.
    ["30 1 * * *", "America/New_York", "2026-03-08T02:00Z", ["2026-03-08T06:30=01:30"]],
    // 02:30 does not exist that day: it fires at 03:00 local.
    ["30 2 * * *", "America/New_York", "2026-03-08T02:00Z", ["2026-03-08T07:00=03:00"]],
    // A schedule inside the gap fires once at its end, not once per missed minute.
    ["*/15 2 * * *", "America/New_York", "2026-03-08T05:00Z", ["2026-03-08T07:00=03:00"]],
    ["30 2 * * *", "Europe/Berlin", "2026-03-29T00:00Z", ["2026-03-29T01:00=03:00"]],
    [
      "30 2 * * *",
      "Europe/Berlin",
      "2026-10-25T00:00Z",
      ["2026-10-25T00:30=02:30", "2026-10-25T01:30=02:30"],
    ],
    ["30 2 * * *", "Australia/Sydney", "2026-10-03T14:00Z", ["2026-10-03T16:00=03:00"]],
    [
      "30 2 * * *",
      "Australia/Sydney",
      "2026-04-04T14:00Z",
      ["2026-04-04T15:30=02:30", "2026-04-04T16:30=02:30"],
    ],
  ])("%s in %s from %s", (cron, tz, from, expected) => {
    expect(firings(cron, tz, from)).toEqual(expected);
  });
});

describe("minute slots across DST and crashes", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await openTestRuntime();
  });
  afterAll(async () => {
    await rt.close();
  });

  it("30 1 * * * in New York fires once on the autumn change and once on the spring one", async () => {
    const { subscription } = await addSubscription(rt.db, "local", {
      platform: "local",
      channel: "ny",
      kind: "digest",
      cron: "30 1 * * *",
      timezone: "America/New_York",
      createdBy: "dana",
    });
    for (const at of ["2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-03-08T06:30:00Z"]) {
      rt.clock.set(at);
      await runMinute(rt, "local", new Date(at));
    }
    const keys = (await listDeliveries(rt.db, "local", { channel: "ny" })).map((d) => d.idempotency_key);
    expect(keys).toEqual([
      `digest:local:${subscription.id}:2026-11-01T01:30`,
      `digest:local:${subscription.id}:2026-03-08T01:30`,
    ]);
  });

  it("a failure between the claim and the queued delivery loses nothing: the slot stays open", async () => {
    await addSubscription(rt.db, "local", {
      platform: "local",
      channel: "fragile",
      kind: "digest",
      cron: "0 7 * * *",
      createdBy: "dana",
    });
    // The database refuses the delivery row, as a crash after the claim would leave it missing.
    await sql`create function refuse_fragile() returns trigger language plpgsql as $$
      begin if new.channel = 'fragile' then raise exception 'refused'; end if; return new; end $$`.execute(
      rt.db,
    );
    await sql`create trigger refuse_fragile before insert on deliveries for each row execute function refuse_fragile()`.execute(
      rt.db,
    );
    const slot = new Date("2026-11-24T07:00:00Z");
    rt.clock.set(slot);
    await expect(runMinute(rt, "local", slot)).rejects.toThrow(/refused/);
    await sql`drop trigger refuse_fragile on deliveries`.execute(rt.db);
    expect((await runMinute(rt, "local", slot)).digests).toBe(1);
    expect(await listDeliveries(rt.db, "local", { channel: "fragile" })).toHaveLength(1);
  });
});

describe("runMinute", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await openTestRuntime();
  });
  afterAll(async () => {
    await rt.close();
  });

  it("sends a due digest once, however many replicas run the same minute", async () => {
    const slot = new Date("2026-11-23T09:00:00Z"); // Monday 09:00: the default catalog's #growth digest
    rt.clock.set(slot);
    const first = await runMinute(rt, "local", slot);
    const second = await runMinute(rt, "local", slot);
    expect(first.digests).toBe(1);
    expect(second.digests).toBe(0);
    await deliverDue(rt);
    const sent = (await listDeliveries(rt.db, "local", { channel: "growth" })).filter((d) =>
      d.idempotency_key.startsWith("digest:"),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.state).toBe("sent");
  });

  it("polls a source when its cron fires, once per slot", async () => {
    const slot = new Date("2026-11-23T10:00:00Z");
    rt.clock.set(slot);
    const before = (await getSource(rt.db, "local", "demo"))?.last_polled_at;
    expect((await runMinute(rt, "local", slot)).polled).toEqual(["demo"]);
    expect((await runMinute(rt, "local", slot)).polled).toEqual([]);
    expect((await getSource(rt.db, "local", "demo"))?.last_polled_at).not.toEqual(before);
    expect((await runMinute(rt, "local", new Date("2026-11-23T10:01:00Z"))).polled).toEqual([]);
  });

  it("a replica that is stopping claims no further slot: the others, or its restart, send them", async () => {
    const slot = new Date("2026-11-30T09:00:00Z"); // the next Monday's #growth digest
    rt.clock.set(slot);
    const stopping = new AbortController();
    stopping.abort();
    expect(await runMinute(rt, "local", slot, { signal: stopping.signal })).toEqual({
      polled: [],
      digests: 0,
    });
    expect((await runMinute(rt, "local", slot)).digests).toBe(1);
  });
});

describe("minuteRunner", () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await openTestRuntime();
  });
  afterAll(async () => {
    await rt.close();
  });

  it("runs the minutes a busy or stalled process missed, in order, so a digest slot is not dropped", async () => {
    rt.clock.set("2026-11-23T08:58:10Z");
    const runner = minuteRunner(rt); // has not run 08:58 yet
    rt.clock.set("2026-11-23T09:02:30Z"); // no tick at 09:00: the process was busy
    await runner.tick();
    const digests = (await listDeliveries(rt.db, "local", { channel: "growth" })).filter((d) =>
      d.idempotency_key.startsWith("digest:"),
    );
    expect(digests.map((d) => d.idempotency_key)).toEqual([expect.stringMatching(/:2026-11-23T09:00$/)]);
    await runner.tick(); // the same minute again: nothing more
    expect(
      (await listDeliveries(rt.db, "local", { channel: "growth" })).filter((d) =>
        d.idempotency_key.startsWith("digest:"),
      ),
    ).toHaveLength(1);
  });
});
