import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveSlackInstallation } from "../../src/db/slack-installations-repository.ts";
import { addSubscription, listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { responsesTo, type SlackFixture, startSlackFixture, waitUntil } from "./slack-fixture.ts";

/**
 * The service in OAuth mode (no SLACK_BOT_TOKEN): the install routes are mounted beside /slack/events,
 * each workspace is answered and sent to with its own stored token, and app_uninstalled ends an install.
 */
const SECRET_KEY = "test-secret-key-0123456789abcdef";
let f: SlackFixture;

const install = (team: string, token: string) =>
  saveSlackInstallation(
    f.rt.db,
    {
      teamId: team,
      enterpriseId: null,
      isEnterpriseInstall: false,
      workspace: `slack:${team}`,
      teamName: team,
      enterpriseName: null,
      appId: "A1",
      botId: "BBOT",
      botUserId: "UBOT",
      botScopes: ["commands", "chat:write"],
      installerUserId: "U1",
      botToken: token,
      installation: { team: { id: team } },
    },
    SECRET_KEY,
    new Date(),
  );

beforeAll(async () => {
  f = await startSlackFixture({
    env: {
      SLACK_BOT_TOKEN: "",
      SLACK_CLIENT_ID: "111.222",
      SLACK_CLIENT_SECRET: "client-secret",
      SLACK_STATE_SECRET: "state-secret-0123456789",
      CLG_SECRET_KEY: SECRET_KEY,
      PUBLIC_URL: "https://clg.example.com",
    },
  });
  await install("TA", "xoxb-team-a");
  await install("TB", "xoxb-team-b");
}, 60_000);
afterAll(async () => {
  await f?.stop();
});

describe("OAuth mode, composed", () => {
  it("mounts GET /slack/install on the service", async () => {
    const res = await fetch(`${f.base}/slack/install`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("client_id=111.222");
  });

  it("answers and uploads with each workspace's own token; an unknown team gets nothing", async () => {
    await f.slash("activation", { team: "TA", responseId: "oa" });
    await f.slash("activation", { team: "TB", responseId: "ob" });
    await waitUntil(() => responsesTo(f.api, "oa").length > 0 && responsesTo(f.api, "ob").length > 0);
    const tokens = new Set(f.api.callsOf("users.info").map((c) => c.token));
    expect(tokens).toEqual(new Set(["xoxb-team-a", "xoxb-team-b"]));
    const res = await f.slash("activation", { team: "TNONE", responseId: "on" });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(responsesTo(f.api, "on")).toEqual([]);
  });

  it("the outbox posts to a workspace with its stored token", async () => {
    const sender = f.rt.senders.get("slack");
    await sender?.send(
      { workspace: "slack:TB", platform: "slack", channel: "C2" },
      { summary: "hi", blocks: [] },
      [],
    );
    expect(f.api.callsOf("chat.postMessage").at(-1)?.token).toBe("xoxb-team-b");
  });

  it("app_uninstalled deletes the install and pauses the workspace's Slack subscriptions", async () => {
    await ensureWorkspace(f.rt.db, { id: "slack:TA" });
    await addSubscription(f.rt.db, "slack:TA", {
      platform: "slack",
      channel: "C1",
      kind: "alerts",
      createdBy: "U1",
    });
    const res = await f.post(
      JSON.stringify({
        type: "event_callback",
        team_id: "TA",
        api_app_id: "A1",
        event_id: "EvU",
        event_time: 1,
        event: { type: "app_uninstalled", event_ts: "1" },
      }),
      { contentType: "application/json" },
    );
    expect(res.status).toBe(200);
    await waitUntil(
      async () => (await listSubscriptions(f.rt.db, "slack:TA", { platform: "slack" }))[0]?.paused_at,
    );
    const sender = f.rt.senders.get("slack");
    await expect(
      sender?.send(
        { workspace: "slack:TA", platform: "slack", channel: "C1" },
        { summary: "x", blocks: [] },
        [],
      ),
    ).rejects.toMatchObject({ reason: "auth_revoked" });
  });
});
