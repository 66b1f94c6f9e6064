import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerText } from "../../src/app/answer-command.ts";
import type { Asker } from "../../src/app/answers/answer-context.ts";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { notifyAdminsOfFailures } from "../../src/app/notify-admins.ts";
import { pollSource } from "../../src/app/poll-source.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import type { Connector } from "../../src/connectors/connector.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { getSource } from "../../src/db/sources-repository.ts";
import { ClgError } from "../../src/errors.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
const asker = (over: Partial<Asker> = {}): Asker => ({
  workspace: "local",
  platform: "local",
  channel: "ops",
  user: "dana",
  isAdmin: true,
  locale: "en-US",
  ...over,
});
const say = async (text: string, over: Partial<Asker> = {}) => {
  const catalog = await loadWorkspaceCatalog(rt.db, "local");
  return (await answerText({ ...rt, catalog }, asker(over), text)).message;
};
const evaluate = async () => evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
const opsDeliveries = async () => listDeliveries(rt.db, "local", { channel: "ops" });

beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt.close();
});

describe("status changes become alerts, once, with flap control", () => {
  it("the first evaluation sets statuses without alerting, and re-evaluating queues nothing new", async () => {
    const before = (await listDeliveries(rt.db, "local")).length;
    const run = await evaluate();
    expect(run.evaluations).toBeGreaterThan(20);
    expect((await listDeliveries(rt.db, "local")).length).toBe(before);
  });

  it("a threshold edit is told at once as an edit, to each subscribed channel once", async () => {
    expect((await say("subscribe alerts all")).summary).toMatch(/will get an alert/);
    expect((await say("subscribe alerts all")).summary).toMatch(/already/);
    // A second subscription of the same channel that also covers the KPI must not double the alert.
    expect((await say("subscribe alerts new_visitors")).summary).toMatch(/will get an alert/);
    expect((await say("threshold new_visitors red < 60000 7d")).summary).toMatch(/red below 60/);

    await evaluate(); // only the rule moved: no days of flap control to wait for
    const queued = await opsDeliveries();
    expect(queued).toHaveLength(1);
    await evaluate();
    expect(await opsDeliveries()).toHaveLength(1);

    rt.printed.length = 0;
    const sent = await deliverDue(rt);
    expect(sent.sent).toBeGreaterThanOrEqual(1);
    const ops = rt.printed.find((p) => p.includes("#ops"));
    expect(ops).toContain("New visitors is now red because its threshold changed (red below 8k (7d) ->");
    expect(rt.channelLog.since(0, "ops")).toHaveLength(1);
  });

  it("a snoozed KPI does not alert; the change is still recorded", async () => {
    await say("snooze new_visitors 1d");
    await say("threshold new_visitors red < 1000 7d");
    await evaluate();
    await evaluate();
    // Only the edit of the alert that shows the snooze; the recovery waits for the snooze to end.
    const got = await opsDeliveries();
    expect(got.map((d) => d.kind)).toEqual(["post", "update"]);
    expect(JSON.stringify(got[1]?.payload)).toContain("snoozed by dana until");
  });

  it("a subscription limited to one segment is evaluated and alerted on that segment alone", async () => {
    const inSegment = { channel: "cs-marcus" };
    expect((await say('subscribe alerts churn for owner:"Marcus Webb"', inSegment)).summary).toMatch(
      /Marcus Webb/,
    );
    await evaluate(); // the segment's first evaluation only sets its status
    expect(await listDeliveries(rt.db, "local", { channel: "cs-marcus" })).toHaveLength(0);
    await say("threshold churn red > 15 28d"); // Marcus Webb's 28-day churn (about 12%) is now amber
    await evaluate();
    await evaluate();
    const got = await listDeliveries(rt.db, "local", { channel: "cs-marcus" });
    expect(got).toHaveLength(1);
    const payload = got[0]?.payload as { message: { summary: string } } | undefined;
    const summary = payload?.message.summary ?? "";
    expect(summary).toContain("Marcus Webb");
    expect(summary).toContain("is now amber because its threshold changed");
    expect((await say("unsubscribe alerts churn", inSegment)).summary).toBe(
      "Removed 1 subscription from this channel.",
    );
  });

  it("a percent threshold on a KPI that is not a percent is refused with the form to use", async () => {
    const m = await say("threshold mrr red < 50%");
    expect(m.tone).toBe("error");
    expect(JSON.stringify(m)).toContain("threshold mrr red < 50");
    expect(JSON.stringify(m)).toContain("clg_bad_threshold");
  });

  it("only admins change thresholds", async () => {
    const m = await say("threshold activation red < 40%", { isAdmin: false });
    expect(m.tone).toBe("error");
    expect(JSON.stringify(m)).toContain("clg_forbidden");
  });
});

describe("a failing source keeps the last good data and tells the admins once", () => {
  const failing: Connector = {
    kind: "demo",
    needsSecret: false,
    completeLagHours: 0,
    validate: () => [],
    fetch: async () => {
      throw new ClgError("clg_source_failed", "the demo API answered 503 Service Unavailable");
    },
  };

  it("marks the source, shows the KPI as a source error over its last value, and notifies once", async () => {
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const row = await getSource(rt.db, "local", "demo");
    if (!row) throw new Error("demo source missing");
    const deps = { ...rt.pollDeps, connectorFor: () => failing };
    const first = await pollSource(deps, catalog, row);
    const second = await pollSource(deps, catalog, row);
    expect(first).toMatchObject({ ok: false, notifyAdmins: true });
    expect(second).toMatchObject({ ok: false, notifyAdmins: false });
    expect(await notifyAdminsOfFailures(rt, "local", [first, second])).toBe(1);

    const m = await say("activation 28d");
    const row0 = m.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []))[0];
    expect(row0?.status).toBe("error");
    expect(row0?.value).toBeGreaterThan(0);
    expect(row0?.note).toContain("503");

    const sources = await say("sources");
    expect(JSON.stringify(sources)).toContain("failing since");

    const ok = await pollSource(rt.pollDeps, catalog, (await getSource(rt.db, "local", "demo")) ?? row);
    expect(ok.ok).toBe(true);
    const after = await say("activation 28d");
    expect(after.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []))[0]?.status).not.toBe("error");
  });
});

describe("a failing source backs off, and the admins hear when it recovers", () => {
  const failing: Connector = {
    kind: "demo",
    needsSecret: false,
    completeLagHours: 0,
    validate: () => [],
    fetch: async () => {
      throw new ClgError("clg_source_failed", "the demo API answered 502 Bad Gateway");
    },
  };

  it("waits as long as the outage has lasted before trying again, then says it recovered", async () => {
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const row = async () => {
      const r = await getSource(rt.db, "local", "demo");
      if (!r) throw new Error("demo source missing");
      return r;
    };
    const deps = { ...rt.pollDeps, connectorFor: () => failing };
    rt.clock.set("2026-11-23T10:00:00Z");
    expect(await pollSource(deps, catalog, await row())).toMatchObject({ ok: false, notifyAdmins: true });
    rt.clock.set("2026-11-23T11:00:00Z");
    expect(await pollSource(deps, catalog, await row())).toMatchObject({ ok: false, notifyAdmins: false });
    // Failing for an hour: the next try waits an hour.
    rt.clock.set("2026-11-23T11:30:00Z");
    const skipped = await pollSource(deps, catalog, await row());
    expect(skipped).toMatchObject({ ok: false, skipped: true });
    expect(skipped.ok === false && skipped.error).toContain("next try after 2026-11-23T12:00:00.000Z");
    const sources = JSON.stringify(await say("sources"));
    expect(sources).toContain("keep their last good data");
    expect(sources).toContain("complete through");

    rt.clock.set("2026-11-23T12:00:00Z");
    const back = await pollSource(rt.pollDeps, catalog, await row());
    expect(back).toMatchObject({ ok: true, recovered: true });
    expect(await notifyAdminsOfFailures(rt, "local", [back])).toBe(1);
    const again = await pollSource(rt.pollDeps, catalog, await row());
    expect(again).toMatchObject({ ok: true, recovered: false });
  });
});
