import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answerText } from "../../src/app/answer-command.ts";
import type { Asker } from "../../src/app/answers/answer-context.ts";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { type SlackParts, startSlackService } from "../../src/compose/slack.ts";
import { enqueueDelivery, listDeliveries } from "../../src/db/deliveries-repository.ts";
import { listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { ensureWorkspace, updateWorkspaceProfile } from "../../src/db/workspaces-repository.ts";
import { DELIVERY_EVENT_TYPE } from "../../src/slack/slack-sender.ts";
import { alertStory } from "../support/alert-story.ts";
import { type SlackApiStandIn, startSlackApiStandIn } from "../support/slack-api-stand-in.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";
import { BOT_TOKEN, nowSeconds, SIGNING_SECRET, sign, waitUntil } from "./slack-fixture.ts";

let api: SlackApiStandIn;
let rt: TestRuntime;
let ws = "";
let n = 0;
let story: ReturnType<typeof alertStory>;

const asker = (over: Partial<Asker> = {}): Asker => ({
  workspace: ws,
  platform: "slack",
  channel: "C1",
  user: "U1",
  isAdmin: true,
  locale: "en-US",
  ...over,
});
const say = async (text: string, over: Partial<Asker> = {}) =>
  (await answerText({ ...rt, catalog: await loadWorkspaceCatalog(rt.db, ws) }, asker(over), text)).message;

const nextDay = (activation: number) => story.nextDay(activation);
/** Sends everything due, moving the clock past each channel's pace (Slack: one message a second). */
const drain = () => story.drain(2_000);

beforeAll(async () => {
  api = await startSlackApiStandIn();
  rt = await openTestRuntime({
    bootstrap: false,
    env: { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.apiUrl },
  });
});
afterAll(async () => {
  await rt?.close();
  await api?.close();
});
beforeEach(async () => {
  ws = `slack:TA${++n}`;
  story = alertStory(rt, ws);
  rt.clock.set(story.start);
  await ensureWorkspace(rt.db, { id: ws });
  await updateWorkspaceProfile(rt.db, { id: ws, adminPlatform: "slack", adminChannel: "CADMIN" });
  await story.applyCatalog();
  expect((await say("subscribe alerts all")).summary).toMatch(/will get an alert/);
  await nextDay(70);
});

describe("alerts on Slack, through the outbox and the alerting core", () => {
  it("an alert is posted with its key in the metadata; the recovery replies in its thread and edits it", async () => {
    const before = api.calls.length;
    await nextDay(40);
    await nextDay(40);
    await drain();
    const posts = () => api.calls.slice(before).filter((c) => c.method === "chat.postMessage");
    const [alert] = posts();
    expect(alert?.params.channel).toBe("C1");
    expect(alert?.token).toBe(BOT_TOKEN);
    expect(String(alert?.params.text)).toMatch(/Activation turned red/);
    const meta = alert?.params.metadata as { event_type: string; event_payload: { key: string } };
    expect(meta.event_type).toBe(DELIVERY_EVENT_TYPE);
    const [row] = await listDeliveries(rt.db, ws, { channel: "C1" });
    expect(meta.event_payload.key).toBe(row?.idempotency_key);
    const stored = api.messages.find((m) => m.channel === "C1" && m.text.includes("turned red"));
    expect(row?.platform_message_id).toBe(`C1:${stored?.ts}`);

    await nextDay(70);
    await nextDay(70);
    await drain();
    const [, reply] = posts();
    expect(reply?.params.thread_ts).toBe(stored?.ts);
    expect(String(reply?.params.text)).toMatch(/recovered to green/);
    const update = api.calls.slice(before).find((c) => c.method === "chat.update");
    expect(update?.params).toMatchObject({ channel: "C1", ts: stored?.ts });
    expect(stored?.edits).toBe(1);
    expect(JSON.stringify(stored?.blocks)).toMatch(/resolved after/);
  });

  it("a click on the alert's Acknowledge records who did it and edits the alert in place", async () => {
    const slack = startSlackService(rt, rt.slack as SlackParts);
    try {
      await nextDay(40);
      await nextDay(40);
      await drain();
      const alert = api.messages.filter((m) => m.channel === "C1" && m.text.includes("turned red")).at(-1);
      const buttons = (
        (alert?.blocks ?? []) as { type: string; elements?: { action_id: string; value: string }[] }[]
      )
        .filter((b) => b.type === "actions")
        .flatMap((b) => b.elements ?? []);
      const ackButton = buttons.find((b) => b.value.startsWith("ack "));
      const snoozeButton = buttons.find((b) => b.value.startsWith("snooze "));
      expect(ackButton?.value).toBe("ack activation");
      expect(snoozeButton?.value).toBe("snooze activation 1d");
      const clickAs = (user: string, button: typeof ackButton, responseId: string) => {
        const payload = {
          type: "block_actions",
          team: { id: ws.slice("slack:".length), domain: "acme" },
          user: { id: user, username: user, team_id: ws.slice("slack:".length) },
          api_app_id: "A1",
          container: { type: "message", message_ts: alert?.ts, channel_id: "C1", is_ephemeral: false },
          channel: { id: "C1", name: "growth" },
          message: { ts: alert?.ts, text: alert?.text, metadata: alert?.metadata, blocks: alert?.blocks },
          response_url: api.responseUrl(responseId),
          actions: [{ type: "button", ...button, block_id: "b", action_ts: "1" }],
        };
        const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
        const ts = nowSeconds();
        return slack.routes?.request("/slack/events", {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            "x-slack-request-timestamp": String(ts),
            "x-slack-signature": sign(SIGNING_SECRET, ts, body),
          },
          body,
        });
      };
      const res = await clickAs("U5", ackButton, "ack");
      expect(res?.status).toBe(200);
      const [answer] = await api.waitFor("response_url");
      expect(answer?.params).toMatchObject({ response_type: "ephemeral", replace_original: false });
      expect(String(answer?.params.text)).toMatch(/U5 acknowledged Activation/);
      await drain();
      expect(alert?.edits).toBe(1);
      expect(JSON.stringify(alert?.blocks)).toMatch(/acknowledged by U5/);

      // Snooze, by someone else: recorded with who and until when, and shown on the alert too.
      expect((await clickAs("U6", snoozeButton, "snooze"))?.status).toBe(200);
      const snoozed = await waitUntil(() =>
        api.callsOf("response_url").find((c) => c.path === "/response/snooze"),
      );
      expect(String(snoozed.params.text)).toMatch(/Snoozed|snoozed/);
      await drain();
      expect(alert?.edits).toBe(2);
      expect(JSON.stringify(alert?.blocks)).toMatch(/snoozed by U6/);
    } finally {
      await slack.stop();
    }
  });

  it("another workspace cannot acknowledge this one's incident, nor see it", async () => {
    const slack = startSlackService(rt, rt.slack as SlackParts);
    try {
      await nextDay(40);
      await nextDay(40);
      await drain();
      const other = `${ws}X`;
      await ensureWorkspace(rt.db, { id: other });
      await alertStory(rt, other).applyCatalog();
      const body = new URLSearchParams({
        team_id: other.slice("slack:".length),
        channel_id: "C1",
        user_id: "U1",
        command: "/clg",
        text: "ack activation",
        response_url: api.responseUrl(`other-${ws}`),
      }).toString();
      const ts = nowSeconds();
      await slack.routes?.request("/slack/events", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(ts),
          "x-slack-signature": sign(SIGNING_SECRET, ts, body),
        },
        body,
      });
      const answer = await waitUntil(() =>
        api.callsOf("response_url").find((c) => c.path === `/response/other-${ws}`),
      );
      expect(String(answer.params.text)).toMatch(/no open alert to acknowledge/);
      await drain();
      const alert = api.messages.filter((m) => m.channel === "C1" && m.text.includes("turned red")).at(-1);
      expect(alert?.edits).toBe(0);
    } finally {
      await slack.stop();
    }
  });

  it("not_in_channel: the subscription is paused, the admins are told once, nothing is retried", async () => {
    const before = api.calls.length;
    api.failNext("chat.postMessage", "not_in_channel");
    await nextDay(40);
    await nextDay(40);
    await drain();
    const [sub] = await listSubscriptions(rt.db, ws, { channel: "C1" });
    expect(sub?.paused_at).not.toBeNull();
    const posts = api.calls.slice(before).filter((c) => c.method === "chat.postMessage");
    expect(posts.map((p) => p.params.channel)).toEqual(["C1", "CADMIN"]);
    expect(String(posts[1]?.params.text)).toMatch(/C1 cannot be delivered \(not_in_channel\)/);
    const [failed] = await listDeliveries(rt.db, ws, { channel: "C1" });
    expect(failed?.state).toBe("failed");
    // Another message refused the same way the same day: the admins are not told again.
    api.failNext("chat.postMessage", "not_in_channel");
    await enqueueDelivery(rt.db, {
      idempotencyKey: `${ws}:second`,
      workspace: ws,
      platform: "slack",
      channel: "C1",
      payload: { message: { summary: "again", blocks: [] } },
      now: rt.clock.now(),
    });
    await drain();
    const after = api.calls.slice(before).filter((c) => c.method === "chat.postMessage");
    expect(after.map((p) => p.params.channel)).toEqual(["C1", "CADMIN", "C1"]);
  });

  it("429: the channel waits Slack's Retry-After, then the alert goes out once", async () => {
    api.rateLimitNext("chat.postMessage", 30);
    await nextDay(40);
    await nextDay(40);
    await deliverDue(rt);
    const [row] = await listDeliveries(rt.db, ws, { channel: "C1" });
    expect(row?.state).toBe("pending");
    const waitMs = new Date(row?.next_attempt_at as Date).getTime() - rt.clock.now().getTime();
    expect(waitMs).toBeGreaterThanOrEqual(29_000);
    expect(waitMs).toBeLessThanOrEqual(31_000);
    rt.clock.set(new Date(rt.clock.now().getTime() + 31_000));
    await drain();
    const [sent] = await listDeliveries(rt.db, ws, { channel: "C1" });
    expect(sent?.state).toBe("sent");
  });

  it("findSent recognises a post by the key in its metadata", async () => {
    const sender = rt.senders.get("slack");
    const dest = { workspace: ws, platform: "slack" as const, channel: "C7" };
    const msg = { summary: "hello", blocks: [{ type: "text" as const, text: "hello" }] };
    const sent = await sender?.send(dest, msg, [], { kind: "post", idempotencyKey: "k-1" });
    await sender?.send(dest, msg, [], { kind: "post", idempotencyKey: "k-2" });
    expect(await sender?.findSent?.(dest, "k-1")).toEqual(sent);
    expect(await sender?.findSent?.(dest, "k-404")).toBeNull();
  });

  it("Slack's errors become the outbox's reasons", async () => {
    const sender = rt.senders.get("slack");
    const dest = { workspace: ws, platform: "slack" as const, channel: "C8" };
    const msg = { summary: "x", blocks: [] };
    for (const [code, reason] of [
      ["channel_not_found", "channel_gone"],
      ["is_archived", "channel_gone"],
      ["invalid_auth", "auth_revoked"],
      ["token_revoked", "auth_revoked"],
      ["account_inactive", "auth_revoked"],
      ["msg_too_long", "bad_message"],
      ["internal_error", "transient"],
    ] as const) {
      api.failNext("chat.postMessage", code);
      await expect(sender?.send(dest, msg, [])).rejects.toMatchObject({ reason, platformCode: code });
    }
    api.answerNext("chat.postMessage", { status: 503, body: { ok: false } });
    await expect(sender?.send(dest, msg, [])).rejects.toMatchObject({ reason: "transient" });
  });
});
