import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { responsesTo, type SlackFixture, startSlackFixture, waitUntil } from "./slack-fixture.ts";

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture();
}, 60_000);
afterAll(async () => {
  await f?.stop();
});

/** A button click as Slack sends it: a form field `payload` holding the block_actions JSON. */
function click(opts: {
  value: string;
  team?: string;
  user?: string;
  responseId: string;
  ephemeral?: boolean;
  message?: Record<string, unknown>;
}) {
  const team = opts.team ?? "T1";
  const payload = {
    type: "block_actions",
    team: { id: team, domain: "acme" },
    user: { id: opts.user ?? "U1", username: "dana", team_id: team },
    api_app_id: "A1",
    token: "unused",
    container: {
      type: "message",
      message_ts: "1700.1",
      channel_id: "C1",
      is_ephemeral: opts.ephemeral ?? true,
    },
    trigger_id: "1.2.3",
    channel: { id: "C1", name: "growth" },
    ...(opts.message ? { message: opts.message } : {}),
    response_url: f.api.responseUrl(opts.responseId),
    actions: [
      {
        type: "button",
        action_id: "clg:0",
        block_id: "b1",
        value: opts.value,
        text: { type: "plain_text", text: "7d" },
        action_ts: "1",
      },
    ],
  };
  return f.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
}

const answerOf = async (id: string) => {
  const [r] = await waitUntil(() => responsesTo(f.api, id).length > 0 && responsesTo(f.api, id));
  return r?.params as { text: string; response_type: string; replace_original: boolean; blocks: unknown[] };
};

function event(team: string, inner: Record<string, unknown>, id: string) {
  return f.post(
    JSON.stringify({
      type: "event_callback",
      team_id: team,
      api_app_id: "A1",
      event_id: id,
      event_time: 1,
      event: inner,
    }),
    { contentType: "application/json" },
  );
}

describe("buttons", () => {
  it("a click on an answer replaces it in place with the button's command answered", async () => {
    const res = await click({ value: "activation 7d", responseId: "c1" });
    expect(res.status).toBe(200);
    const answer = await answerOf("c1");
    expect(answer.replace_original).toBe(true);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toMatch(/Activation/);
    expect(JSON.stringify(answer.blocks)).toMatch(/7d|7 days/);
  });

  it("an admin-only action is refused politely with the reason, and the message stays", async () => {
    await click({ value: "threshold activation red < 10%", user: "U2", responseId: "c2" });
    const refusal = await answerOf("c2");
    expect(refusal.replace_original).toBe(false);
    expect(refusal.text).toMatch(/Only admins can change thresholds/);
  });

  it("a Slack workspace admin (users.info) may", async () => {
    f.api.setAdmin("UADMIN");
    await click({ value: "threshold activation red < 10%", user: "UADMIN", responseId: "c3" });
    const done = await answerOf("c3");
    expect(done.text).not.toMatch(/Only admins/);
    const info = f.api.callsOf("users.info").filter((c) => c.params.user === "UADMIN");
    expect(info.length).toBe(1);
  });

  it("a click on an alert the outbox posted answers the clicker privately and leaves the alert alone", async () => {
    await click({
      value: "activation 28d",
      responseId: "c4",
      ephemeral: false,
      message: {
        ts: "1700.1",
        text: "alert",
        metadata: { event_type: "clg_delivery", event_payload: { key: "k" } },
      },
    });
    const answer = await answerOf("c4");
    expect(answer.replace_original).toBe(false);
    expect(answer.response_type).toBe("ephemeral");
  });
});

describe("buttons without a response_url", () => {
  const send = (payload: Record<string, unknown>) =>
    f.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
  const base = {
    type: "block_actions",
    team: { id: "T1", domain: "acme" },
    user: { id: "U1", username: "dana", team_id: "T1" },
    api_app_id: "A1",
    actions: [{ type: "button", action_id: "clg:0", block_id: "b", value: "activation 90d", action_ts: "1" }],
  };

  it("on a message (no response_url): the message is edited with chat.update", async () => {
    await send({
      ...base,
      container: { type: "message", message_ts: "1700.5", channel_id: "C3", is_ephemeral: false },
      channel: { id: "C3", name: "x" },
      message: { ts: "1700.5", text: "an answer" },
    });
    const update = await waitUntil(() => f.api.callsOf("chat.update").find((c) => c.params.ts === "1700.5"));
    expect(update.params.channel).toBe("C3");
    expect(String(update.params.text)).toMatch(/Activation/);
  });

  it("in the App Home: the answer goes to the app's direct messages", async () => {
    await send({
      ...base,
      user: { id: "U77", username: "lee", team_id: "T1" },
      container: { type: "view", view_id: "V1" },
    });
    const dm = await waitUntil(() =>
      f.api.callsOf("chat.postMessage").find((c) => c.params.channel === "U77"),
    );
    expect(String(dm.params.text)).toMatch(/Activation/);
  });

  it("a click on something that is not ours is acknowledged and ignored", async () => {
    const before = f.api.calls.length;
    const res = await send({
      ...base,
      container: { type: "view", view_id: "V1" },
      actions: [{ type: "button", action_id: "other:1", block_id: "b", value: "board", action_ts: "1" }],
    });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(f.api.calls.slice(before).filter((c) => c.method === "chat.postMessage")).toEqual([]);
  });
});

describe("two workspaces", () => {
  it("never see each other's catalog, subscriptions or channels", async () => {
    // T1 subscribes a channel and changes a threshold; T2 asks and opens its App Home.
    f.api.setAdmin("UT1ADMIN");
    await f.slash("subscribe alerts all", { team: "T1", channel: "C1", responseId: "w1" });
    await answerOf("w1");
    await f.slash("threshold activation red < 99%", { team: "T1", user: "UT1ADMIN", responseId: "w2" });
    expect((await answerOf("w2")).text).not.toMatch(/Only admins/);
    await f.slash("activation 28d", { team: "T2", responseId: "w3" });
    expect((await answerOf("w3")).text).toMatch(/Activation/);

    const t1 = await loadWorkspaceCatalog(f.rt.db, "slack:T1");
    const t2 = await loadWorkspaceCatalog(f.rt.db, "slack:T2");
    const red = (c: typeof t1) => c.bySlug.get("activation")?.thresholds.find((t) => t.status === "red");
    expect(red(t1)?.below).toBe(99);
    expect(red(t2)?.below).not.toBe(99);
    const onSlack = { platform: "slack" };
    expect((await listSubscriptions(f.rt.db, "slack:T1", onSlack)).map((s) => s.channel)).toContain("C1");
    expect(await listSubscriptions(f.rt.db, "slack:T2", onSlack)).toEqual([]);

    f.api.answerNext("users.conversations", {
      ok: true,
      channels: [{ id: "C1" }],
      response_metadata: { next_cursor: "" },
    });
    await event(
      "T1",
      { type: "app_home_opened", user: "U1", channel: "D1", tab: "home", event_ts: "1" },
      "EvH1",
    );
    const [home1] = await f.api.waitFor("views.publish", 1);
    f.api.answerNext("users.conversations", {
      ok: true,
      channels: [{ id: "C1" }],
      response_metadata: { next_cursor: "" },
    });
    await event(
      "T2",
      { type: "app_home_opened", user: "U9", channel: "D9", tab: "home", event_ts: "1" },
      "EvH2",
    );
    const [, home2] = await f.api.waitFor("views.publish", 2);
    expect(home1?.params.user_id).toBe("U1");
    expect(JSON.stringify(home1?.params.view)).toContain("<#C1>");
    expect(JSON.stringify(home1?.params.view)).toMatch(/Activation/);
    expect(JSON.stringify(home2?.params.view)).not.toContain("<#C1>");
    expect(JSON.stringify(home2?.params.view)).toMatch(/None yet/);
  });
});

describe("direct messages", () => {
  it("are answered in the DM through the outbox; the bot's own messages are not", async () => {
    await event(
      "T1",
      {
        type: "message",
        channel_type: "im",
        user: "U1",
        text: "board",
        channel: "D5",
        ts: "1.1",
        event_ts: "1.1",
      },
      "EvD1",
    );
    await event(
      "T1",
      {
        type: "message",
        channel_type: "im",
        bot_id: "BBOT",
        user: "UBOT",
        text: "board",
        channel: "D5",
        ts: "1.2",
        event_ts: "1.2",
      },
      "EvD2",
    );
    await waitUntil(() => f.api.callsOf("chat.postMessage").some((c) => c.params.channel === "D5"));
    await new Promise((r) => setTimeout(r, 600));
    const inDm = f.api.callsOf("chat.postMessage").filter((c) => c.params.channel === "D5");
    expect(inDm).toHaveLength(1);
    expect(inDm[0]?.params.thread_ts).toBeUndefined();
  });
});
