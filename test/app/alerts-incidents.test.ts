import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerText } from "../../src/app/answer-command.ts";
import type { Asker } from "../../src/app/answers/answer-context.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { listIncidents } from "../../src/db/incidents-repository.ts";
import { listObservations } from "../../src/db/observations-repository.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { insertStatusChanges } from "../../src/db/status-changes-repository.ts";
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
  summary: string;
  header: string;
}
async function told(channel = "ops"): Promise<Told[]> {
  return (await listDeliveries(rt.db, ws, { channel })).map((d) => {
    const message = (d.payload as { message: { summary: string; blocks: { type: string; text?: string }[] } })
      .message;
    return { summary: message.summary, header: message.blocks.find((b) => b.type === "header")?.text ?? "" };
  });
}

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
    const t = await told();
    expect(t.map((x) => x.summary.split(":")[0])).toEqual([
      "■ Activation turned red (was green)",
      "▲ Activation improved to amber (was red)",
    ]);
  });
});

describe("incidents", () => {
  it("worsen, improve and recover: one thread, the alert's header edited, each change told once", async () => {
    await nextDay({ activation: 55 });
    await nextDay({ activation: 55 }); // amber: opens the incident
    await nextDay({ activation: 40 });
    await nextDay({ activation: 40 }); // red: a worsening is a new alert
    await nextDay({ activation: 70 });
    await nextDay({ activation: 70 }); // green: resolved, in the thread
    await sameDayAgain(15);
    const t = await told();
    expect(t.map((x) => x.summary.split(":")[0])).toEqual([
      "▲ Activation turned amber (was green)",
      "■ Activation turned red (was amber)",
      "● Activation recovered to green (was red) · resolved after 4 days",
    ]);
    const [incident] = await listIncidents(rt.db, ws);
    expect(incident).toMatchObject({ status: "green", worst: "red", seq: 3 });
    expect(incident?.resolved_at).not.toBeNull();
  });

  it("acknowledge is recorded with who and when", async () => {
    await nextDay({ activation: 40 });
    await nextDay({ activation: 40 });
    rt.clock.set(`${dayOf(day + 1)}T09:30:00Z`);
    expect((await say("ack activation", { user: "sam" })).summary).toBe(
      "sam acknowledged Activation (red 1d).",
    );
    const [incident] = await listIncidents(rt.db, ws);
    expect(incident).toMatchObject({ acked_by: "sam", acked_at: new Date(`${dayOf(day + 1)}T09:30:00Z`) });
    expect((await say("ack signups")).summary).toBe("Signups has no open alert to acknowledge.");
  });

  it("a snoozed incident is silent; when the snooze ends the channel hears where it stands, once", async () => {
    await nextDay({ activation: 40 });
    await nextDay({ activation: 40 });
    await say("snooze activation 3d");
    const [snoozed] = await listIncidents(rt.db, ws);
    expect(snoozed).toMatchObject({ snoozed_by: "dana" });
    await nextDay({ activation: 70 });
    await nextDay({ activation: 70 }); // recovered while snoozed
    expect((await told()).map((x) => x.summary.split(":")[0])).toEqual([
      "■ Activation turned red (was green)",
    ]);
    await nextDay({ activation: 70 }); // the snooze has ended
    await sameDayAgain(12);
    const t = await told();
    expect(t.map((x) => x.summary.split(":")[0])).toEqual([
      "■ Activation turned red (was green)",
      "● Activation recovered to green (was red) · resolved after 2 days",
    ]);
  });

  it("changes of one run to one channel are one message, most severe first", async () => {
    await nextDay({ activation: 55 }); // activation needs two days, signups one
    await nextDay({ activation: 55, signups: 50 });
    const t = await told();
    expect(t).toHaveLength(1);
    expect(t[0]?.header).toBe("2 alerts: Signups, Activation");
    expect(t[0]?.summary).toContain("■ Signups turned red (was green)");
  });

  it("a threshold edit is told as one, not as a recovery", async () => {
    await nextDay({ activation: 45 });
    await nextDay({ activation: 45 }); // red below 50
    await say("threshold activation red < 40");
    await sameDayAgain(12);
    const t = await told();
    expect(t.map((x) => x.summary.split(":")[0])).toEqual([
      "■ Activation turned red (was green)",
      "▲ Activation is now amber because its threshold changed (red below 50 -> red below 40)",
    ]);
    await sameDayAgain(13);
    expect(await told()).toHaveLength(2);
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
