import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cronFiresAt, minuteSlot } from "../../src/app/cron-slot.ts";
import { minuteRunner } from "../../src/app/minute-runner.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { getSource } from "../../src/db/sources-repository.ts";
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
    expect(digests.map((d) => d.idempotency_key)).toEqual([
      expect.stringContaining("2026-11-23T09:00:00.000Z"),
    ]);
    await runner.tick(); // the same minute again: nothing more
    expect(
      (await listDeliveries(rt.db, "local", { channel: "growth" })).filter((d) =>
        d.idempotency_key.startsWith("digest:"),
      ),
    ).toHaveLength(1);
  });
});
