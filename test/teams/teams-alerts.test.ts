import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { addDays } from "../../src/kpi/days.ts";
import { activity, BOT, cardText, startTeamsHarness, type TeamsHarness } from "./teams-harness.ts";

/** One KPI the test writes day by day: red below 50, confirmed after two days. */
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
    flap: { pending: 2, recovery_margin: 0 }
    anomaly: { enabled: false }
    forecast: { enabled: false }
`;

const TENANT = "tenant-alerts";
const WS = `teams:${TENANT}`;
const CHANNEL = "19:alerts@thread.tacv2";
let h: TeamsHarness;
let day = 0;

async function nextDay(activation: number) {
  day++;
  await upsertSamples(h.rt.db, WS, [
    {
      kpi: "activation",
      day: addDays("2026-10-01", day),
      segment: "",
      value: activation,
      num: null,
      den: null,
      dist: null,
    },
  ]);
  h.rt.clock.set(`${addDays("2026-10-01", day + 1)}T06:00:00Z`);
  await evaluateWorkspace(h.rt, await loadWorkspaceCatalog(h.rt.db, WS));
}

async function drain() {
  for (let i = 0; i < 30; i++) {
    await deliverDue(h.rt);
    if ((await listDeliveries(h.rt.db, WS, { state: "pending" })).length === 0) return;
    h.rt.clock.set(new Date(h.rt.clock.now().getTime() + 5_000));
  }
}

beforeAll(async () => {
  h = await startTeamsHarness({ TEAMS_LOCAL: "on", CLG_DEMO: "off" });
  h.rt.clock.set("2026-10-01T06:00:00Z");
  await h.post(
    activity(h, { tenant: TENANT, conversation: CHANNEL, type: "conversationUpdate", membersAdded: [BOT] }),
  );
  await applyCatalog(h.rt.db, {
    workspace: WS,
    catalog: parseCatalogText(CATALOG, "catalog.yaml"),
    actor: "test",
  });
  await h.post(
    activity(h, {
      tenant: TENANT,
      conversation: CHANNEL,
      text: "subscribe alerts activation",
      mention: true,
    }),
  );
  await nextDay(70);
  await drain();
  h.connector.reset();
});
afterAll(async () => {
  await h.close();
});

describe("alerts through the alerting core and the outbox", () => {
  let alertId: string | null = null;

  it("an alert is posted to the conversation the bot was added to", async () => {
    for (const v of [40, 40]) await nextDay(v);
    await drain();
    const [alert, ...none] = h.connector.calls;
    expect(none).toEqual([]);
    expect(alert).toMatchObject({ method: "POST", conversationId: CHANNEL, activityId: null, status: 200 });
    expect(cardText(alert)).toMatch(/Activation turned red/);
    alertId = alert?.id ?? null;
    h.connector.reset();
  });

  it("acknowledge from a card button: who clicked is recorded and the alert card is updated", async () => {
    const res = await h.post(
      activity(h, {
        tenant: TENANT,
        conversation: CHANNEL,
        user: "u-sam",
        type: "invoke",
        name: "adaptiveCard/action",
        replyToId: alertId ?? "",
        value: {
          action: { type: "Action.Execute", verb: "clg", data: { command: "ack activation" } },
        },
      }),
    );
    expect(JSON.stringify(res.body)).toMatch(/u-sam acknowledged Activation/);
    await drain();
    const [update, ...rest] = h.connector.calls;
    expect(rest).toEqual([]);
    expect(update).toMatchObject({ method: "PUT", activityId: alertId });
    expect(cardText(update)).toMatch(/acknowledged by u-sam/);
    h.connector.reset();
  });

  it("the recovery is a reply in the alert's thread and the original card is updated", async () => {
    for (const v of [70, 70]) await nextDay(v);
    await drain();
    const [reply, update, ...rest] = h.connector.calls;
    expect(rest).toEqual([]);
    expect(reply).toMatchObject({ method: "POST", conversationId: CHANNEL, activityId: alertId });
    expect(cardText(reply)).toMatch(/recovered to green/);
    expect(update).toMatchObject({ method: "PUT", conversationId: CHANNEL, activityId: alertId });
    expect(cardText(update)).toMatch(/resolved after/);
  });
});
