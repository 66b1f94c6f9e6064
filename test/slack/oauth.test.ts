import { App, type Receiver } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/app/ask.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { parseConfig, type SlackOAuthConfig } from "../../src/config/config.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { readStoredKpis } from "../../src/db/kpis-repository.ts";
import { listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { getWorkspace } from "../../src/db/workspaces-repository.ts";
import { createSlackOAuth, type SlackOAuth, slackOAuthFromConfig } from "../../src/slack/oauth.ts";
import { listenForUninstall, onSlackUninstalled } from "../../src/slack/uninstall.ts";
import { type SlackApiStandIn, startSlackApiStandIn } from "../support/slack-api-stand-in.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

const SECRET_KEY = "test-secret-key-0123456789abcdef";
const OAUTH: SlackOAuthConfig = {
  clientId: "1111.2222",
  clientSecret: "client-secret-abc",
  stateSecret: "state-secret-0123456789",
  scopes: null,
};

let rt: TestRuntime;
let slack: SlackApiStandIn;
let oauth: SlackOAuth;

/** oauth.v2.access as Slack documents it (docs.slack.dev/reference/methods/oauth.v2.access). */
const grant = (
  team: { id: string; name: string } | null,
  token: string,
  enterprise: { id: string; name: string } | null = null,
) => ({
  ok: true,
  access_token: token,
  token_type: "bot",
  scope: "commands,chat:write,files:write",
  bot_user_id: `U0BOT${team?.id ?? enterprise?.id}`,
  app_id: "A0KRD7HC3",
  team,
  enterprise,
  is_enterprise_install: team === null,
  authed_user: {
    id: `U0INSTALLER${team?.id ?? enterprise?.id}`,
    scope: "",
    access_token: `xoxp-user-token-of-${team?.id ?? enterprise?.id}`,
    token_type: "user",
  },
});

const stateCookie = (res: Response) =>
  /slack-app-oauth-state=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];

/** A browser going through the install: /slack/install, Slack's authorize page (skipped), the redirect. */
async function install(via: SlackOAuth, answer: Record<string, unknown>, code = "code-1") {
  const start = await via.routes.request("https://clg.example.com/slack/install");
  expect(start.status).toBe(302);
  const location = new URL(start.headers.get("location") ?? "");
  const state = location.searchParams.get("state") ?? "";
  expect(stateCookie(start)).toBe(state);
  slack.answerNext("oauth.v2.access", answer);
  return via.routes.request(`https://clg.example.com/slack/oauth_redirect?code=${code}&state=${state}`, {
    headers: { cookie: `slack-app-oauth-state=${state}` },
  });
}

const rows = () => rt.db.selectFrom("slack_installations").selectAll().orderBy("id").execute();

beforeAll(async () => {
  slack = await startSlackApiStandIn();
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_SECRET_KEY: SECRET_KEY } });
  oauth = createSlackOAuth({
    rt,
    oauth: OAUTH,
    secretKey: SECRET_KEY,
    apiUrl: slack.apiUrl,
    publicUrl: "https://clg.example.com",
    env: {},
  });
});
afterAll(async () => {
  await rt.close();
  await slack.close();
});

describe("Slack OAuth install", () => {
  it("/slack/install redirects to Slack's authorize page with our client id, scopes, redirect URL and a signed state", async () => {
    const res = await oauth.routes.request("https://clg.example.com/slack/install");
    expect(res.status).toBe(302);
    const url = new URL(res.headers.get("location") ?? "");
    expect(`${url.origin}${url.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(url.searchParams.get("client_id")).toBe(OAUTH.clientId);
    expect(url.searchParams.get("scope")?.split(",")).toEqual(
      expect.arrayContaining(["commands", "chat:write", "files:write"]),
    );
    expect(url.searchParams.get("redirect_uri")).toBe("https://clg.example.com/slack/oauth_redirect");
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/);
  });

  it("the redirect exchanges the code, stores the install encrypted and creates the workspace with the catalog", async () => {
    const token = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy";
    const res = await install(oauth, grant({ id: "T9TK3CUKW", name: "Slack Softball Team" }, token));
    const html = await res.text();
    expect(res.status, html).toBe(200);
    expect(html).toContain("Slack Softball Team");
    expect(res.headers.get("set-cookie")).toMatch(/slack-app-oauth-state=deleted/);

    const [exchange] = slack.callsOf("oauth.v2.access");
    expect(exchange?.params).toMatchObject({
      code: "code-1",
      client_id: OAUTH.clientId,
      client_secret: OAUTH.clientSecret,
      redirect_uri: "https://clg.example.com/slack/oauth_redirect",
    });

    const [row] = await rows();
    expect(row).toMatchObject({
      team_id: "T9TK3CUKW",
      enterprise_id: "",
      is_enterprise_install: false,
      workspace: "slack:T9TK3CUKW",
      team_name: "Slack Softball Team",
      bot_user_id: "U0BOTT9TK3CUKW",
      bot_id: "BBOT",
      installer_user_id: "U0INSTALLERT9TK3CUKW",
    });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain("pdFZKVeTuE8sk7oOcBrzbqgy");
    expect(stored).not.toContain("xoxp-user-token-of-T9TK3CUKW");
    expect(row?.bot_token_ciphertext).toMatch(/^v1\./);

    expect(await oauth.tokenFor("slack:T9TK3CUKW")).toBe(token);
    const authorized = await oauth.authorize({
      teamId: "T9TK3CUKW",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(authorized.botToken).toBe(token);

    const workspace = await getWorkspace(rt.db, "slack:T9TK3CUKW");
    expect(workspace?.name).toBe("Slack Softball Team");
    expect((await readStoredKpis(rt.db, "slack:T9TK3CUKW")).kpis.length).toBeGreaterThan(10);
    // The default catalog's local channels stay with the local workspace.
    expect(await listSubscriptions(rt.db, "slack:T9TK3CUKW")).toEqual([]);
  });

  it("refuses a redirect whose state was not issued to this browser, or was signed with another secret", async () => {
    const before = slack.callsOf("oauth.v2.access").length;
    const start = await oauth.routes.request("https://clg.example.com/slack/install");
    const state = stateCookie(start) ?? "";
    const noCookie = await oauth.routes.request(
      `https://clg.example.com/slack/oauth_redirect?code=x&state=${state}`,
    );
    expect(noCookie.status).toBe(400);

    const forger = createSlackOAuth({
      rt,
      oauth: { ...OAUTH, stateSecret: "someone-elses-state-secret" },
      secretKey: SECRET_KEY,
      apiUrl: slack.apiUrl,
      publicUrl: null,
      env: {},
    });
    const forged = stateCookie(await forger.routes.request("https://evil.example/slack/install")) ?? "";
    const res = await oauth.routes.request(
      `https://clg.example.com/slack/oauth_redirect?code=x&state=${forged}`,
      {
        headers: { cookie: `slack-app-oauth-state=${forged}` },
      },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("expired");
    expect(slack.callsOf("oauth.v2.access")).toHaveLength(before);
  });

  it("keeps two teams apart, and an org-wide install under its enterprise id", async () => {
    await install(oauth, grant({ id: "T0SECOND", name: "Second Team" }, "xoxb-second-team-token"), "code-2");
    await install(oauth, grant(null, "xoxb-org-token", { id: "E0ORG", name: "Acme Org" }), "code-3");
    expect(
      (await rows()).map((r) => [r.workspace, r.team_id, r.enterprise_id, r.is_enterprise_install]),
    ).toEqual([
      ["slack:T9TK3CUKW", "T9TK3CUKW", "", false],
      ["slack:T0SECOND", "T0SECOND", "", false],
      ["slack:E0ORG", "", "E0ORG", true],
    ]);
    expect(await oauth.tokenFor("slack:T0SECOND")).toBe("xoxb-second-team-token");
    expect(await oauth.tokenFor("slack:T9TK3CUKW")).not.toBe("xoxb-second-team-token");
    expect(await oauth.tokenFor("slack:E0ORG")).toBe("xoxb-org-token");
    const org = await oauth.installationStore.fetchInstallation({
      enterpriseId: "E0ORG",
      teamId: undefined,
      isEnterpriseInstall: true,
    });
    expect(org.bot?.token).toBe("xoxb-org-token");
    expect((await getWorkspace(rt.db, "slack:E0ORG"))?.name).toBe("Acme Org");
    expect(await oauth.tokenFor("slack:T0NOBODY")).toBeNull();
    await expect(
      oauth.installationStore.fetchInstallation({
        teamId: "T0NOBODY",
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      }),
    ).rejects.toThrow(/No Slack installation for team T0NOBODY/);
  });

  it("a ciphertext copied to another team's row does not decrypt", async () => {
    const [first] = await rows();
    await rt.db
      .updateTable("slack_installations")
      .set({ bot_token_ciphertext: first?.bot_token_ciphertext ?? null })
      .where("team_id", "=", "T0SECOND")
      .execute();
    await expect(oauth.tokenFor("slack:T0SECOND")).rejects.toThrow(/Cannot decrypt/);
    await install(oauth, grant({ id: "T0SECOND", name: "Second Team" }, "xoxb-second-team-token"), "code-4");
    expect(await oauth.tokenFor("slack:T0SECOND")).toBe("xoxb-second-team-token");
  });
});

describe("uninstall", () => {
  it("removes the tokens and pauses the workspace's subscriptions; the other team keeps both; a reinstall resumes", async () => {
    const asker = (workspace: string) => ({
      workspace,
      platform: "slack" as const,
      channel: "C0ALERTS",
      user: "U0ADMIN",
      isAdmin: true,
      locale: "en-US",
    });
    expect((await ask(rt, asker("slack:T9TK3CUKW"), "subscribe alerts all")).message.summary).toMatch(
      /will get an alert/,
    );
    expect((await ask(rt, asker("slack:T0SECOND"), "subscribe alerts all")).message.summary).toMatch(
      /will get an alert/,
    );
    // An alert waits in the outbox for the first team (a threshold edit, evaluated, not yet sent).
    await ask(rt, asker("slack:T9TK3CUKW"), "threshold new_visitors red < 60000 7d");
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "slack:T9TK3CUKW"));
    const pending = () => listDeliveries(rt.db, "slack:T9TK3CUKW", { state: "pending" });
    const waiting = (await pending()).filter((d) => d.platform === "slack");
    expect(waiting.length).toBeGreaterThan(0);

    const outcome = await onSlackUninstalled(rt, "slack:T9TK3CUKW");
    expect(outcome).toMatchObject({
      installationsDeleted: 1,
      channels: 1,
      subscriptionsPaused: 1,
      deliveriesFailed: waiting.length,
    });
    expect((await pending()).filter((d) => d.platform === "slack")).toEqual([]);
    expect(await oauth.tokenFor("slack:T9TK3CUKW")).toBeNull();
    await expect(
      oauth.authorize({ teamId: "T9TK3CUKW", enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow();
    const [gone] = await listSubscriptions(rt.db, "slack:T9TK3CUKW", { platform: "slack" });
    expect(gone).toMatchObject({ paused_reason: "auth_revoked" });
    expect(gone?.paused_at).not.toBeNull();

    expect(await oauth.tokenFor("slack:T0SECOND")).toBe("xoxb-second-team-token");
    const [kept] = await listSubscriptions(rt.db, "slack:T0SECOND", { platform: "slack" });
    expect(kept?.paused_at).toBeNull();

    // Slack retries events: a second run changes nothing and does not throw.
    expect(await onSlackUninstalled(rt, "slack:T9TK3CUKW")).toMatchObject({
      installationsDeleted: 0,
      subscriptionsPaused: 0,
    });

    await install(oauth, grant({ id: "T9TK3CUKW", name: "Slack Softball Team" }, "xoxb-new-token"), "code-5");
    expect(await oauth.tokenFor("slack:T9TK3CUKW")).toBe("xoxb-new-token");
    const [back] = await listSubscriptions(rt.db, "slack:T9TK3CUKW", { platform: "slack" });
    expect(back?.paused_at).toBeNull();
  });

  it("revoking one user's token keeps the bot's", async () => {
    await oauth.installationStore.deleteInstallation({
      teamId: "T0SECOND",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
      userId: "U0INSTALLERT0SECOND",
    });
    const left = await oauth.installationStore.fetchInstallation({
      teamId: "T0SECOND",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(left.user.token).toBeUndefined();
    expect(left.bot?.token).toBe("xoxb-second-team-token");
  });
});

describe("uninstall events through Bolt", () => {
  /** Bolt's receiver interface with nothing behind it: the test hands events to the real app. */
  const idle: Receiver = { init: () => {}, start: async () => {}, stop: async () => {} };
  const event = (team: string, e: Record<string, unknown>, id: string) => ({
    body: {
      type: "event_callback",
      team_id: team,
      api_app_id: "A0KRD7HC3",
      event_id: id,
      event_time: 1,
      event: e,
    },
    ack: async () => {},
  });

  it("tokens_revoked for a user drops that token only; for the bot, or app_uninstalled, ends the install", async () => {
    const app = new App({
      receiver: idle,
      authorize: oauth.authorize,
      clientOptions: { slackApiUrl: slack.apiUrl },
    });
    listenForUninstall(app, rt, oauth.installationStore);
    await install(oauth, grant({ id: "T0THIRD", name: "Third" }, "xoxb-third"), "code-6");
    const asker = {
      workspace: "slack:T0THIRD",
      platform: "slack" as const,
      channel: "C0X",
      user: "U0A",
      isAdmin: true,
      locale: "en-US",
    };
    await ask(rt, asker, "subscribe alerts all");
    const third = { teamId: "T0THIRD", enterpriseId: undefined, isEnterpriseInstall: false as const };
    expect((await oauth.installationStore.fetchInstallation(third)).user.token).toBe(
      "xoxp-user-token-of-T0THIRD",
    );

    await app.processEvent(
      event("T0THIRD", { type: "tokens_revoked", tokens: { oauth: ["U0INSTALLERT0THIRD"] } }, "Ev1"),
    );
    const left = await oauth.installationStore.fetchInstallation({
      teamId: "T0THIRD",
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(left.user.token).toBeUndefined();
    expect(await oauth.tokenFor("slack:T0THIRD")).toBe("xoxb-third");

    await app.processEvent(
      event("T0THIRD", { type: "tokens_revoked", tokens: { bot: ["U0BOTT0THIRD"] } }, "Ev2"),
    );
    expect(await oauth.tokenFor("slack:T0THIRD")).toBeNull();
    const [paused] = await listSubscriptions(rt.db, "slack:T0THIRD", { platform: "slack" });
    expect(paused?.paused_reason).toBe("auth_revoked");

    expect(await oauth.tokenFor("slack:T0SECOND")).not.toBeNull();
    await app.processEvent(event("T0SECOND", { type: "app_uninstalled", event_ts: "1.1" }, "Ev3"));
    expect(await oauth.tokenFor("slack:T0SECOND")).toBeNull();
    const [second] = await listSubscriptions(rt.db, "slack:T0SECOND", { platform: "slack" });
    expect(second?.paused_reason).toBe("auth_revoked");
  });
});

describe("OAuth configuration", () => {
  const base = {
    SLACK_CLIENT_ID: "1.2",
    SLACK_CLIENT_SECRET: "s",
    SLACK_STATE_SECRET: "state-secret-0123456789",
    SLACK_SIGNING_SECRET: "sign",
  };

  it("reads the OAuth variables, with the features' scopes unless SLACK_SCOPES says otherwise", () => {
    const config = parseConfig({ ...base, CLG_SECRET_KEY: SECRET_KEY });
    expect(config.slackOAuth).toEqual({
      clientId: "1.2",
      clientSecret: "s",
      stateSecret: base.SLACK_STATE_SECRET,
      scopes: null,
    });
    expect(
      parseConfig({ ...base, CLG_SECRET_KEY: SECRET_KEY, SLACK_SCOPES: "commands, chat:write" }).slackOAuth
        ?.scopes,
    ).toEqual(["commands", "chat:write"]);
    expect(parseConfig({}).slackOAuth).toBeNull();
  });

  it("the composition root gets OAuth only when it is configured", async () => {
    expect(slackOAuthFromConfig(rt, { apiUrl: slack.apiUrl, env: {} })).toBeNull();
    const configured = { ...rt, config: parseConfig({ ...base, CLG_SECRET_KEY: SECRET_KEY }) };
    const made = slackOAuthFromConfig(configured, { apiUrl: slack.apiUrl, env: {} });
    const start = await made?.routes.request("https://clg.example.com/slack/install");
    expect(new URL(start?.headers.get("location") ?? "").searchParams.get("client_id")).toBe("1.2");
  });

  it("refuses to start OAuth without CLG_SECRET_KEY, and says how to make one", () => {
    try {
      parseConfig(base);
      expect.unreachable("OAuth started without CLG_SECRET_KEY");
    } catch (e) {
      expect(String(e)).toMatch(/CLG_SECRET_KEY: required for Slack OAuth/);
      expect((e as { hint?: string }).hint).toBe("Generate one with: openssl rand -base64 32");
    }
  });

  it("names what is missing from half an OAuth setup", () => {
    const { SLACK_CLIENT_SECRET: _, ...half } = base;
    expect(() => parseConfig({ ...half, CLG_SECRET_KEY: SECRET_KEY })).toThrow(
      /SLACK_CLIENT_SECRET: required with SLACK_CLIENT_ID/,
    );
    expect(() => parseConfig({ ...base, CLG_SECRET_KEY: SECRET_KEY, SLACK_STATE_SECRET: "short" })).toThrow(
      /SLACK_STATE_SECRET: must be at least 16/,
    );
    const { SLACK_SIGNING_SECRET: __, ...unreachable } = base;
    expect(() => parseConfig({ ...unreachable, CLG_SECRET_KEY: SECRET_KEY })).toThrow(
      /SLACK_SIGNING_SECRET: required with SLACK_CLIENT_ID/,
    );
  });
});
