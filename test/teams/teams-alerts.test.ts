import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertStory } from "../support/alert-story.ts";
import { activity, BOT, cardText, startTeamsHarness, type TeamsHarness } from "./teams-harness.ts";

const TENANT = "tenant-alerts";
const WS = `teams:${TENANT}`;
const CHANNEL = "19:alerts@thread.tacv2";
let h: TeamsHarness;
let story: ReturnType<typeof alertStory>;

const nextDay = (activation: number) => story.nextDay(activation);
const drain = () => story.drain(5_000);

beforeAll(async () => {
  h = await startTeamsHarness({ TEAMS_LOCAL: "on", CLG_DEMO: "off" });
  story = alertStory(h.rt, WS);
  h.rt.clock.set(story.start);
  await h.post(
    activity(h, { tenant: TENANT, conversation: CHANNEL, type: "conversationUpdate", membersAdded: [BOT] }),
  );
  await story.applyCatalog();
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
