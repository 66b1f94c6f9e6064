import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { enqueueDelivery } from "../../src/db/deliveries-repository.ts";
import { addSubscription } from "../../src/db/subscriptions-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { startChatStandIn } from "../support/chat-stand-in.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

/**
 * What /metrics shows (the body is the runtime's registry, as `metricsText` serves it) after real work
 * against the chat stand-in: deliveries sent, retried (429) and failed (a channel that is gone) by reason
 * and platform, the queue, the age of its oldest due row, schedule lag, evaluation time, open incidents.
 */
let rt: TestRuntime;
let standIn: Awaited<ReturnType<typeof startChatStandIn>>;
beforeAll(async () => {
  standIn = await startChatStandIn({
    throttleFirst: { channels: new Set(["C-busy"]), retryAfterSeconds: 30 },
    failing: new Map([["C-gone", { status: 200, error: "channel_not_found" }]]),
  });
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_TEST_CHAT_URL: standIn.url } });
});
afterAll(async () => {
  await rt?.close();
  await standIn?.close();
});

const scrape = () => rt.metrics.registry.metrics();
const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("/metrics", () => {
  it("counts deliveries by outcome, reason and platform, and reads the queue, lag, evaluation and incidents", async () => {
    await ensureWorkspace(rt.db, { id: "local" });
    rt.clock.set("2026-11-23T09:00:00Z");
    for (const channel of ["C-ok", "C-busy", "C-gone", "C-later"])
      await enqueueDelivery(rt.db, {
        idempotencyKey: `m-${channel}`,
        workspace: "local",
        platform: "slack",
        channel,
        payload: { message: { summary: channel, blocks: [] } },
        now: new Date("2026-11-23T08:55:00Z"),
        ...(channel === "C-later" ? { notBefore: new Date("2026-11-23T10:00:00Z") } : {}),
      });
    await addSubscription(rt.db, "local", {
      platform: "slack",
      channel: "C-digest",
      kind: "digest",
      cron: "0 9 * * *",
      timezone: "UTC",
      createdBy: "test",
    });

    const before = await scrape();
    // Three due rows, the oldest queued 5 minutes ago; one more not due yet.
    expect(value(before, 'clg_outbox_queue_depth{state="pending"}')).toBe(4);
    expect(value(before, "clg_outbox_oldest_due_seconds")).toBe(300);

    rt.clock.set("2026-11-23T09:00:42Z"); // the 09:00 digest queued 42 s into its minute
    await runMinute(rt, "local", new Date("2026-11-23T09:00:00Z"));
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
    for (let i = 0; i < 5; i++) if ((await deliverDue(rt)).claimed === 0) break;

    const opened = {
      workspace: "local",
      window: "7d",
      status: "red",
      worst: "red",
      opened_at: rt.clock.now(),
    };
    await rt.db
      .insertInto("incidents")
      .values([
        { ...opened, kpi: "signups" },
        { ...opened, kpi: "churn", resolved_at: rt.clock.now() },
      ])
      .execute();
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // the database gauges are read once a second
    const text = await scrape();
    expect(value(text, 'clg_deliveries_total{platform="slack",outcome="sent",reason=""}')).toBe(2);
    expect(
      value(text, 'clg_deliveries_total{platform="slack",outcome="retried",reason="rate_limited"}'),
    ).toBe(1);
    expect(value(text, 'clg_deliveries_total{platform="slack",outcome="failed",reason="channel_gone"}')).toBe(
      1,
    );
    expect(value(text, 'clg_outbox_queue_depth{state="pending"}')).toBe(2); // C-busy waits, C-later not due
    expect(value(text, "clg_schedule_lag_seconds_count")).toBe(1);
    expect(value(text, "clg_schedule_lag_seconds_sum")).toBe(42);
    expect(value(text, "clg_evaluation_seconds_count")).toBe(1);
    expect(value(text, "clg_incidents_open")).toBe(1);
    expect(standIn.records.map((r) => r.channel).sort()).toEqual(["C-digest", "C-ok"]);
  });
});
