import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { readStoredKpis } from "../../src/db/kpis-repository.ts";
import { listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { getTeamsConversation } from "../../src/db/teams-conversations-repository.ts";
import type { AdaptiveCardJson } from "../../src/teams/adaptive-card.ts";
import { STALE_ACTION_REPLY } from "../../src/teams/card-actions.ts";
import type { ConnectorCall } from "../support/bot-connector-stand-in.ts";
import { openTestRuntime } from "../support/test-runtime.ts";
import { parseCard } from "./card-validation.ts";
import { activity, BOT, cardText, startTeamsHarness, type TeamsHarness } from "./teams-harness.ts";

let h: TeamsHarness;
/** The Adaptive Card a connector call carried, for the `adaptivecards` library to parse. */
const cardOfCall = (call: ConnectorCall | undefined) =>
  call?.activity.attachments?.[0]?.content as unknown as AdaptiveCardJson;
/** What the library reports, except Teams' native charts (unknown to it: their fallback is used). */
const cardProblems = (call: ConnectorCall | undefined) =>
  parseCard(cardOfCall(call)).events.filter((e) => !/Unknown element type "Chart\./.test(e));
const A = "tenant-a";
const B = "tenant-b";

beforeAll(async () => {
  h = await startTeamsHarness({ TEAMS_LOCAL: "on", TEAMS_ADMINS: "u-admin" });
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.connector.reset());

const say = (o: Parameters<typeof activity>[1]) => h.post(activity(h, o));

/** Sends what the outbox has due, moving the clock past each conversation's pace and any Retry-After. */
async function drainOutbox(workspace: string) {
  for (let i = 0; i < 20; i++) {
    await deliverDue(h.rt);
    const left = await listDeliveries(h.rt.db, workspace, { state: "pending" });
    if (left.length === 0) return;
    h.rt.clock.set(new Date(h.rt.clock.now().getTime() + 5_000));
  }
}

describe("commands", () => {
  it("@clg activation in a channel: the mention is removed and a card answers in the thread", async () => {
    const incoming = activity(h, {
      tenant: A,
      conversation: "19:ops-a@thread.tacv2",
      text: "activation",
      mention: true,
    });
    const res = await h.post(incoming);
    expect(res.status).toBe(200);
    expect(h.connector.calls).toHaveLength(1);
    const [reply] = h.connector.calls;
    expect(reply).toMatchObject({
      method: "POST",
      conversationId: "19:ops-a@thread.tacv2",
      activityId: incoming.id,
    });
    expect(reply?.activity.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(reply)).toMatch(/Activation/);
    expect(cardProblems(reply)).toEqual([]);
    expect(reply?.authorization).toBeNull(); // local mode: anonymous
  });

  it("activation in a personal chat reads the same", async () => {
    const res = await say({
      tenant: A,
      conversation: "a:personal-dana",
      conversationType: "personal",
      text: "activation",
    });
    expect(res.status).toBe(200);
    expect(cardText(h.connector.calls[0])).toMatch(/Activation/);
  });

  it("an unknown command gets the closest words and help", async () => {
    await say({ tenant: A, conversation: "19:ops-a@thread.tacv2", text: "actvation", mention: true });
    const text = cardText(h.connector.calls[0]);
    expect(text).toMatch(/Did you mean \\"activation\\"/);
    await say({ tenant: A, conversation: "19:ops-a@thread.tacv2", text: "subscrib alerts", mention: true });
    expect(cardText(h.connector.calls[1])).toMatch(/subscribe/);
  });

  it("an activity type the bot does not handle: 200, nothing sent", async () => {
    const res = await say({ tenant: A, conversation: "19:ops-a@thread.tacv2", type: "typing" });
    expect(res.status).toBe(200);
    expect(h.connector.calls).toEqual([]);
  });
});

describe("card buttons", () => {
  const invoke = (data: unknown, verb = "clg") =>
    say({
      tenant: A,
      conversation: "19:ops-a@thread.tacv2",
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId: "act-card",
      value: { action: { type: "Action.Execute", verb, data } },
    });

  it("Action.Execute runs the button's command and answers with the new card (updated in place)", async () => {
    const res = await invoke({ command: "board" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(JSON.stringify((res.body as { value: unknown }).value)).toMatch(/Activation/);
    expect(h.connector.calls).toEqual([]);
  });

  it("a forged or stale payload is refused politely and changes nothing", async () => {
    for (const data of [{ command: "drop table kpis" }, { nothing: true }, null]) {
      const res = await invoke(data);
      expect(res.body).toEqual({
        statusCode: 200,
        type: "application/vnd.microsoft.activity.message",
        value: STALE_ACTION_REPLY,
      });
    }
    expect((await invoke({ command: "board" }, "other.verb")).body).toMatchObject({
      value: STALE_ACTION_REPLY,
    });
    expect(h.connector.calls).toEqual([]);
  });

  it("Action.Submit (the fallback) updates the card it came from", async () => {
    await say({
      tenant: A,
      conversation: "19:ops-a@thread.tacv2",
      replyToId: "act-card",
      value: { command: "board" },
    });
    expect(h.connector.calls).toHaveLength(1);
    expect(h.connector.calls[0]).toMatchObject({ method: "PUT", activityId: "act-card" });
    expect(cardText(h.connector.calls[0])).toMatch(/Activation/);
  });
});

describe("installs, proactive posts and removal", () => {
  const general = "19:general-b@thread.tacv2";

  it("bot added to a team: the reference is stored, the tenant provisioned, and a digest is posted proactively", async () => {
    const res = await say({
      tenant: B,
      conversation: general,
      type: "conversationUpdate",
      teamId: general,
      membersAdded: [BOT],
    });
    expect(res.status).toBe(200);
    const row = await getTeamsConversation(h.rt.db, `teams:${B}`, general);
    expect(row).toMatchObject({ tenant_id: B, team_id: general, paused_at: null });
    expect(row?.reference).toMatchObject({ serviceUrl: h.connector.url });
    expect((await readStoredKpis(h.rt.db, `teams:${B}`)).kpis.length).toBeGreaterThan(0);

    await say({ tenant: B, conversation: general, text: "subscribe digest daily", mention: true });
    const [sub] = await listSubscriptions(h.rt.db, `teams:${B}`, { platform: "teams", kind: "digest" });
    expect(sub).toMatchObject({ channel: general });
    h.connector.reset();
    const slot = new Date("2026-11-24T09:00:00Z");
    h.rt.clock.set(slot);
    expect((await runMinute(h.rt, `teams:${B}`, slot)).digests).toBe(1);
    await drainOutbox(`teams:${B}`);
    expect(h.connector.calls).toHaveLength(1);
    expect(h.connector.calls[0]).toMatchObject({ method: "POST", conversationId: general, activityId: null });
    expect(cardProblems(h.connector.calls[0])).toEqual([]);
    expect(h.connector.calls[0]?.activity.attachments?.[0]?.contentType).toBe(
      "application/vnd.microsoft.card.adaptive",
    );
  });

  it("a 429 from the connector is retried after its Retry-After, through the outbox", async () => {
    h.connector.fail(general, { status: 429, retryAfterSeconds: 2 });
    const slot = new Date("2026-11-25T09:00:00Z");
    h.rt.clock.set(slot);
    await runMinute(h.rt, `teams:${B}`, slot);
    await deliverDue(h.rt);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429]);
    // Not before the Retry-After (2 s), then at once.
    h.rt.clock.set(new Date(slot.getTime() + 1_500));
    await deliverDue(h.rt);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429]);
    h.rt.clock.set(new Date(slot.getTime() + 2_100));
    await deliverDue(h.rt);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 200]);
    await drainOutbox(`teams:${B}`);
    expect(h.connector.calls.map((c) => c.status)).toEqual([429, 200]);
    expect(await listDeliveries(h.rt.db, `teams:${B}`, { state: "pending" })).toEqual([]);
    expect(await listDeliveries(h.rt.db, `teams:${B}`, { state: "failed" })).toEqual([]);
  });

  it("bot removed from the team: its conversations and subscriptions are paused", async () => {
    await say({
      tenant: B,
      conversation: general,
      type: "conversationUpdate",
      teamId: general,
      membersRemoved: [BOT],
    });
    const [sub] = await listSubscriptions(h.rt.db, `teams:${B}`, { platform: "teams" });
    expect(sub?.paused_at).not.toBeNull();
    expect((await getTeamsConversation(h.rt.db, `teams:${B}`, general))?.paused_at).not.toBeNull();

    // Added back: the conversation and the subscriptions its removal paused resume.
    await say({
      tenant: B,
      conversation: general,
      type: "conversationUpdate",
      teamId: general,
      membersAdded: [BOT],
    });
    const [again] = await listSubscriptions(h.rt.db, `teams:${B}`, { platform: "teams", channel: general });
    expect(again?.paused_at).toBeNull();
    expect((await getTeamsConversation(h.rt.db, `teams:${B}`, general))?.paused_at).toBeNull();
  });

  it("a conversation the connector says is gone (403) fails for good and pauses its subscriptions", async () => {
    const chat = "19:chat-gone@thread.v2";
    await say({
      tenant: B,
      conversation: chat,
      conversationType: "groupChat",
      type: "installationUpdate",
      action: "add",
    });
    await say({
      tenant: B,
      conversation: chat,
      conversationType: "groupChat",
      text: "subscribe digest daily",
      mention: true,
    });
    h.connector.reset();
    h.connector.fail(chat, { status: 403, code: "BotNotInConversationRoster" });
    const slot = new Date("2026-11-26T09:00:00Z");
    h.rt.clock.set(slot);
    await runMinute(h.rt, `teams:${B}`, slot);
    await drainOutbox(`teams:${B}`);
    expect(h.connector.calls.filter((c) => c.conversationId === chat).map((c) => c.status)).toEqual([403]);
    const [sub] = await listSubscriptions(h.rt.db, `teams:${B}`, { channel: chat });
    expect(sub?.paused_at).not.toBeNull();
    // The tenant's admins hear it in their channel (the first conversation the bot was added to).
    const notices = h.connector.calls.filter(
      (c) => c.conversationId === general && /cannot be reached/.test(cardText(c)),
    );
    expect(notices).toHaveLength(1);
    expect(cardText(notices[0])).toContain(chat);
  });
});

describe("channel threads", () => {
  it("a subscription made in a thread is the channel's; the answer stays in the thread", async () => {
    const thread = "19:threads-a@thread.tacv2;messageid=1700000000000";
    await say({ tenant: A, conversation: thread, text: "subscribe digest weekly", mention: true });
    expect(h.connector.calls[0]?.conversationId).toBe(thread);
    const subs = await listSubscriptions(h.rt.db, `teams:${A}`, { kind: "digest" });
    expect(subs.map((x) => x.channel)).toContain("19:threads-a@thread.tacv2");
    expect(subs.map((x) => x.channel)).not.toContain(thread);
    const row = await getTeamsConversation(h.rt.db, `teams:${A}`, "19:threads-a@thread.tacv2");
    expect(row?.reference).toMatchObject({ conversation: { id: "19:threads-a@thread.tacv2" } });
  });
});

describe("admins", () => {
  it("threshold: refused for a member, allowed for a TEAMS_ADMINS user", async () => {
    const ops = "19:ops-a@thread.tacv2";
    await say({
      tenant: A,
      conversation: ops,
      text: "threshold activation red < 10%",
      mention: true,
      user: "u-member",
    });
    expect(cardText(h.connector.calls[0])).toMatch(/Only admins can change thresholds/);
    await say({
      tenant: A,
      conversation: ops,
      text: "threshold activation red < 10%",
      mention: true,
      user: "u-admin",
    });
    expect(cardText(h.connector.calls[1])).toMatch(/Activation rate is now red below 10/);
  });

  it("an app uninstalled from a chat (installationUpdate remove) pauses it", async () => {
    const chat = "19:uninstall@thread.v2";
    const common = { tenant: A, conversation: chat, conversationType: "groupChat" as const };
    await say({ ...common, type: "installationUpdate", action: "add" });
    await say({ ...common, text: "subscribe digest daily", mention: true });
    await say({ ...common, type: "installationUpdate", action: "remove" });
    const [sub] = await listSubscriptions(h.rt.db, `teams:${A}`, { channel: chat });
    expect(sub?.paused_at).not.toBeNull();
    expect((await getTeamsConversation(h.rt.db, `teams:${A}`, chat))?.paused_at).not.toBeNull();
  });
});

describe("tenants", () => {
  it("two tenants are isolated: same conversation id, separate workspaces, subscriptions and references", async () => {
    const shared = "19:same-id@thread.tacv2";
    await say({ tenant: A, conversation: shared, text: "subscribe digest daily", mention: true });
    await say({ tenant: "tenant-c", conversation: shared, text: "unsubscribe digest", mention: true });
    expect(await listSubscriptions(h.rt.db, `teams:${A}`, { channel: shared })).toHaveLength(1);
    expect(await listSubscriptions(h.rt.db, "teams:tenant-c", { channel: shared })).toHaveLength(0);
    const a = await getTeamsConversation(h.rt.db, `teams:${A}`, shared);
    const c = await getTeamsConversation(h.rt.db, "teams:tenant-c", shared);
    expect(a?.tenant_id).toBe(A);
    expect(c?.tenant_id).toBe("tenant-c");
  });
});

describe("bad input", () => {
  it("a body that is not an activity: 400, nothing runs", async () => {
    const base = activity(h, {
      tenant: A,
      conversation: "a:hostile",
      conversationType: "personal",
      text: "board",
    });
    for (const body of [
      [],
      { ...base, type: undefined },
      { ...base, conversation: undefined },
      { ...base, text: 42 },
      { ...base, entities: "x" },
      { ...base, from: 5 },
    ]) {
      expect((await h.post(body)).status).toBe(400);
    }
    const raw = await fetch(`${h.base}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(400);
    expect(h.connector.calls).toEqual([]);
  });
});

describe("who may call", () => {
  it("without a client id, only this machine: a proxied request is refused", async () => {
    const incoming = activity(h, { tenant: A, conversation: "19:ops-a@thread.tacv2", text: "board" });
    const res = await h.post(incoming, { "x-forwarded-for": "203.0.113.9" });
    expect(res.status).toBe(403);
    expect(h.connector.calls).toEqual([]);
  });

  it("neither a client id nor local mode: Teams is off (no endpoint, no sender)", async () => {
    const rt = await openTestRuntime({ bootstrap: false });
    try {
      expect(rt.teams).toBeNull();
      expect(rt.senders.has("teams")).toBe(false);
    } finally {
      await rt.close();
    }
  });

  it("a forged serviceUrl is refused and nothing is sent anywhere", async () => {
    const forged = { ...activity(h, { tenant: A, conversation: "19:ops-a@thread.tacv2", text: "board" }) };
    for (const serviceUrl of [
      "https://evil.example/",
      "http://smba.trafficmanager.net/",
      "https://smba.trafficmanager.net.evil.example/",
    ]) {
      const res = await h.post({ ...forged, serviceUrl });
      expect(res.status).toBe(403);
    }
    expect(h.connector.calls).toEqual([]);
  });
});
