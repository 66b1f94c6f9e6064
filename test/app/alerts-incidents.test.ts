import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerText } from "../../src/app/answer-command.ts";
import type { Asker } from "../../src/app/answers/answer-context.ts";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { listIncidents } from "../../src/db/incidents-repository.ts";
import { listObservations } from "../../src/db/observations-repository.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { insertStatusChanges } from "../../src/db/status-changes-repository.ts";
import { addSubscription } from "../../src/db/subscriptions-repository.ts";
import { addDays } from "../../src/kpi/days.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

/**
 * Alerts as incidents, on a small catalog whose daily values the test writes: `activation` (red below 50,
 * amber below 60, two days to confirm) and `signups` (red below 100), both over one day.
 */
const CATALOG = `
version: 1
timezone: UTC
sources:
  - name: demo
    kind: demo
kpis:
  - slug: activation
    name: Activation
    stage: activation
    unit: count
    direction: up
    aggregation: { kind: count }
    source: demo
    windows: [1d]
    thresholds:
      - { status: red, below: 50 }
      - { status: amber, below: 60 }
    flap: { pending: 2, recovery_margin: 0 }
    anomaly: { enabled: false }
    forecast: { enabled: false }
  - slug: signups
    name: Signups
    stage: interest
    unit: count
    direction: up
    aggregation: { kind: count }
    source: demo
    windows: [1d]
    thresholds:
      - { status: red, below: 100 }
    anomaly: { enabled: false }
    forecast: { enabled: false }
`;

const FIRST_DAY = "2026-10-01";
let rt: TestRuntime;
let ws = "";
let day = 0;
let wsCount = 0;

const asker = (over: Partial<Asker> = {}): Asker => ({
  workspace: ws,
  platform: "local",
  channel: "ops",
  user: "dana",
  isAdmin: true,
  locale: "en-US",
  ...over,
});
const catalog = () => loadWorkspaceCatalog(rt.db, ws);
const say = async (text: string, over: Partial<Asker> = {}) =>
  (await answerText({ ...rt, catalog: await catalog() }, asker(over), text)).message;
const evaluate = async () => evaluateWorkspace(rt, await catalog());
const dayOf = (n: number) => addDays(FIRST_DAY, n);

/** Writes the next data day's values, moves the clock to the morning after, and evaluates. */
async function nextDay(values: { activation?: number; signups?: number }, opts: { hour?: number } = {}) {
  day++;
  const samples = Object.entries({ signups: 500, ...values }).map(([kpi, value]) => ({
    kpi,
    day: dayOf(day),
    segment: "",
    value,
    num: null,
    den: null,
    dist: null,
  }));
  await upsertSamples(rt.db, ws, samples);
  rt.clock.set(`${dayOf(day + 1)}T${String(opts.hour ?? 6).padStart(2, "0")}:00:00Z`);
  return evaluate();
}

/** Evaluates the same data day again, later that day (another poll, a restart, a second replica). */
async function sameDayAgain(hour: number) {
  rt.clock.set(`${dayOf(day + 1)}T${String(hour).padStart(2, "0")}:00:00Z`);
  return evaluate();
}

interface Told {
  kind: string;
  /** For a reply or an update: the index in this list of the message it threads under or edits. */
  parent: number | null;
  summary: string;
  header: string;
}
async function told(channel = "ops"): Promise<Told[]> {
  const rows = await listDeliveries(rt.db, ws, { channel });
  return rows.map((d) => {
    const message = (d.payload as { message: { summary: string; blocks: { type: string; text?: string }[] } })
      .message;
    const parent = rows.findIndex((r) => r.idempotency_key === d.parent_key);
    return {
      kind: d.kind,
      parent: parent === -1 ? null : parent,
      summary: message.summary,
      header: message.blocks.find((b) => b.type === "header")?.text ?? "",
    };
  });
}
/** "kind[>parent]: first words of the summary" per delivery, to compare whole stories at a glance. */
const story = async (channel = "ops") =>
  (await told(channel)).map(
    (t) => `${t.kind}${t.parent === null ? "" : `>${t.parent}`}: ${t.header || t.summary.split(": ")[0]}`,
  );

beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false });
});
afterAll(async () => {
  await rt.close();
});
beforeEach(async () => {
  // Each test gets its own workspace, with a quiet green history.
  ws = `w${++wsCount}`;
  day = 0;
  rt.clock.set(`${FIRST_DAY}T06:00:00Z`);
  await applyCatalog(rt.db, {
    workspace: ws,
    catalog: parseCatalogText(CATALOG, "catalog.yaml"),
    actor: "test",
  });
  expect((await say("subscribe alerts all")).summary).toMatch(/will get an alert/);
  await nextDay({ activation: 70 });
});

describe("status from days of data", () => {
  it("re-evaluating one data day, however often, counts it once", async () => {
    await nextDay({ activation: 40 }); // red, 1 of 2 days
    for (const hour of [7, 8, 9, 10]) await sameDayAgain(hour);
    expect(await told()).toEqual([]);
    expect(JSON.stringify(await say("activation"))).toContain("turning red (1 of 2 days)");
    await nextDay({ activation: 40 });
    expect((await told()).map((t) => t.header)).toEqual(["■ Activation turned red (was green)"]);
    await sameDayAgain(12);
    // Two replicas evaluating the same day at once.
    await Promise.all([evaluate(), evaluate()]);
    expect(await told()).toHaveLength(1);
  });

  it("keeps one observation per data day, replaced by a later run", async () => {
    await nextDay({ activation: 40 });
    await upsertSamples(rt.db, ws, [
      { kpi: "activation", day: dayOf(day), segment: "", value: 65, num: null, den: null, dist: null },
    ]);
    await sameDayAgain(11);
    const rows = await listObservations(rt.db, ws, { kpi: "activation", window: "1d" });
    expect(rows.map((r) => [r.day, r.value, r.observed, r.confirmed])).toEqual([
      [dayOf(1), 70, "green", "green"],
      [dayOf(2), 65, "green", "green"],
    ]);
  });

  it("red -> no data -> amber is an improvement from red, told in the thread", async () => {
    await nextDay({ activation: 40 });
    await nextDay({ activation: 40 });
    await nextDay({}); // no activation sample: a gap
    expect(await told()).toHaveLength(1);
    expect(JSON.stringify(await say("activation"))).toContain("no data since");
    await nextDay({ activation: 55 });
    await nextDay({ activation: 55 });
    expect(await story()).toEqual([
      "post: ■ Activation turned red (was green)",
      "reply>0: ▲ Activation improved to amber (was red)",
      "update>0: ■ Activation turned red (was green) · now amber",
    ]);
  });
});

type Step =
  | { day: { activation?: number; signups?: number } }
  | { again: number }
  | { say: string; user?: string; at?: string };
const d = (activation?: number): Step => ({ day: activation === undefined ? {} : { activation } });

describe("incidents", () => {
  const cases: [string, Step[], string[], Record<string, unknown>][] = [
    [
      "worsen, then recover: a new post for the worse, the recovery in its thread, the header edited",
      [d(55), d(55), d(40), d(40), d(70), d(70), { again: 15 }],
      [
        "post: ▲ Activation turned amber (was green)",
        "post: ■ Activation turned red (was amber)",
        "reply>1: ● Activation recovered to green (was red) · resolved after 4 days",
        "update>1: ■ Activation turned red (was amber) · resolved after 4 days",
      ],
      { status: "green", worst: "red", seq: 3 },
    ],
    [
      "acknowledge: who and when, on the alert",
      [d(40), d(40), { say: "ack activation", user: "sam", at: "2026-10-05T09:30:00Z" }, { again: 12 }],
      [
        "post: ■ Activation turned red (was green)",
        "update>0: ■ Activation turned red (was green) · now red, acknowledged by sam at 2026-10-05 09:30 UTC",
      ],
      { status: "red", acked_by: "sam", acked_at: new Date("2026-10-05T09:30:00Z") },
    ],
    [
      "snooze: silent while snoozed; when it ends the channel hears where the incident stands, once",
      [d(40), d(40), { say: "snooze activation 3d" }, d(70), d(70), d(70), { again: 12 }],
      [
        "post: ■ Activation turned red (was green)",
        "update>0: ■ Activation turned red (was green) · now red, snoozed by dana until 2026-10-08 06:00 UTC",
        "reply>0: ● Activation recovered to green (was red) · resolved after 2 days",
        "update>0: ■ Activation turned red (was green) · resolved after 2 days",
      ],
      { status: "green", snoozed_by: "dana", snoozed_until: new Date("2026-10-08T06:00:00Z") },
    ],
    [
      "a threshold edit is told as one, not as a recovery",
      [d(45), d(45), { say: "threshold activation red < 40" }, { again: 12 }, { again: 13 }],
      [
        "post: ■ Activation turned red (was green)",
        "reply>0: ▲ Activation is now amber because its threshold changed (red below 50 -> red below 40)",
        "update>0: ■ Activation turned red (was green) · now amber",
      ],
      { status: "amber", worst: "red", seq: 2 },
    ],
  ];
  it.each(cases)("%s", async (_what, steps, expected, incident) => {
    for (const step of steps) {
      if ("day" in step) await nextDay(step.day);
      else if ("again" in step) await sameDayAgain(step.again);
      else {
        if (step.at) rt.clock.set(step.at);
        expect((await say(step.say, step.user ? { user: step.user } : {})).tone).not.toBe("error");
      }
    }
    expect(await story()).toEqual(expected);
    const all = await listIncidents(rt.db, ws);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject(incident);
  });

  it("through the outbox: the recovery lands in the alert's thread and the alert is edited", async () => {
    await say("subscribe alerts activation", { channel: "thread" }); // a channel only this test posts to
    for (const v of [40, 40, 70, 70]) {
      await nextDay({ activation: v });
      // Send what the day queued, moving the clock past each channel's pace.
      for (let i = 0; i < 50; i++) {
        await deliverDue(rt);
        if ((await listDeliveries(rt.db, ws, { state: "pending", channel: "thread" })).length === 0) break;
        rt.clock.set(new Date(rt.clock.now().getTime() + 5_000));
      }
    }
    const [alert, reply, ...rest] = rt.channelLog.since(0, "thread");
    expect(rest).toEqual([]);
    expect(reply?.threadOf).toBe(alert?.id);
    expect(reply?.message?.summary).toContain("recovered to green");
    expect(alert?.editedAt).toBeDefined();
    expect(alert?.message?.blocks[0]).toEqual({
      type: "header",
      text: "■ Activation turned red (was green) · resolved after 2 days",
    });
  });

  it("an alert the outbox could not send within CLG_ALERT_MAX_AGE_MINUTES is skipped, not posted late", async () => {
    await say("subscribe alerts activation", { channel: "late" });
    await nextDay({ activation: 40 });
    await nextDay({ activation: 40 }); // turned red: queued at 06:00
    const [queued] = await listDeliveries(rt.db, ws, { channel: "late" });
    expect(queued?.stale_at).toEqual(new Date(rt.clock.now().getTime() + rt.config.alertMaxAgeMs));
    // The platform was unreachable (or the service down) for longer than the limit.
    rt.clock.set(new Date(rt.clock.now().getTime() + rt.config.alertMaxAgeMs + 60_000));
    for (let i = 0; i < 20; i++) if ((await deliverDue(rt)).claimed === 0) break;
    expect(rt.channelLog.since(0, "late")).toEqual([]);
    const [row] = await listDeliveries(rt.db, ws, { channel: "late" });
    expect(row).toMatchObject({ state: "skipped", failure_reason: "stale" });
    const metrics = await rt.metrics.registry.metrics();
    expect(metrics).toMatch(
      /clg_deliveries_total\{platform="local",outcome="skipped",reason="stale"\} [1-9]/,
    );
  });

  it("reminders while red: off by default, once per period for a subscription that asks, not once acknowledged", async () => {
    await addSubscription(rt.db, ws, {
      platform: "local",
      channel: "war-room",
      kind: "alerts",
      filter: { kpi: "activation", remind_hours: 24 },
      createdBy: "test",
    });
    for (const v of [40, 40, 40]) await nextDay({ activation: v }); // told, then a day later reminded
    await sameDayAgain(12);
    await nextDay({ activation: 40 }); // reminded again
    await say("ack activation");
    await nextDay({ activation: 40 });
    expect(await story("war-room")).toEqual([
      "post: ■ Activation turned red (was green)",
      "reply>0: ■ Activation is still red (for 1 day)",
      "reply>0: ■ Activation is still red (for 2 days)",
      "update>0: ■ Activation turned red (was green) · now red, acknowledged by dana at 2026-10-07 06:00 UTC",
    ]);
    expect((await story("ops")).filter((s) => s.includes("still red"))).toEqual([]);
  });

  it("reminders end to end: each lands once in the alert's thread in the channel, through the outbox", async () => {
    await addSubscription(rt.db, ws, {
      platform: "local",
      channel: "reminded",
      kind: "alerts",
      filter: { kpi: "activation", remind_hours: 24 },
      createdBy: "test",
    });
    for (const v of [40, 40, 40, 40]) {
      await nextDay({ activation: v });
      await sameDayAgain(9); // a second run the same day sends nothing more
      for (let i = 0; i < 20; i++) {
        await deliverDue(rt);
        if ((await listDeliveries(rt.db, ws, { state: "pending", channel: "reminded" })).length === 0) break;
        rt.clock.set(new Date(rt.clock.now().getTime() + 5_000));
      }
    }
    const [alert, ...replies] = rt.channelLog.since(0, "reminded");
    expect(alert?.message?.summary).toContain("turned red");
    expect(replies.map((r) => [r.threadOf, r.message?.summary.split(":")[0]])).toEqual([
      [alert?.id, "■ Activation is still red (for 1 day)"],
      [alert?.id, "■ Activation is still red (for 2 days)"],
    ]);
  });

  it("acknowledging a KPI without an open incident says so", async () => {
    expect((await say("ack signups")).summary).toBe("Signups has no open alert to acknowledge.");
  });

  it("changes of one run to one channel are one message, most severe first", async () => {
    await nextDay({ activation: 55 }); // activation needs two days, signups one
    await nextDay({ activation: 55, signups: 50 });
    const t = await told();
    expect(t).toHaveLength(1);
    expect(t[0]?.header).toBe("2 alerts: Signups, Activation");
    expect(t[0]?.summary).toContain("■ Signups turned red (was green)");
  });
});

describe("anomalies and forecasts are told once", () => {
  it("however many changes the workspace recorded before", async () => {
    const def = `
version: 1
timezone: UTC
sources: [{ name: demo, kind: demo }]
kpis:
  - { slug: visits, name: Visits, stage: interest, unit: count, direction: up, aggregation: { kind: count }, source: demo, windows: [1d], forecast: { enabled: false } }
`;
    ws = "busy";
    await applyCatalog(rt.db, { workspace: ws, catalog: parseCatalogText(def, "c.yaml"), actor: "test" });
    await say("subscribe alerts all");
    const samples = Array.from({ length: 60 }, (_, i) => ({
      kpi: "visits",
      day: dayOf(i),
      segment: "",
      value: i === 59 ? 5000 : 1000 + (i % 3) * 10,
      num: null,
      den: null,
      dist: null,
    }));
    await upsertSamples(rt.db, ws, samples);
    // A busy workspace: more than a thousand changes in the last week.
    const at = new Date(`${dayOf(59)}T00:00:00Z`);
    await insertStatusChanges(
      rt.db,
      ws,
      Array.from({ length: 1100 }, () => ({
        kpi: "other",
        window: "1d",
        kind: "anomaly" as const,
        detail: { key: "x" },
        at,
      })),
    );
    rt.clock.set(`${dayOf(60)}T06:00:00Z`);
    await evaluate();
    rt.clock.set(`${dayOf(60)}T07:00:00Z`);
    await evaluate();
    const t = await told();
    expect(t.map((x) => x.header)).toEqual(["▲ Visits looks unusual"]);
  });
});
