import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getTeamsConversation } from "../../src/db/teams-conversations-repository.ts";
import { activity, BOT, startTeamsHarness, type TeamsHarness } from "./teams-harness.ts";

/**
 * Incoming tokens are checked by the Agents SDK's own `authorizeJWT`, with its keys fetched from a local
 * stand-in for the Entra authority (`TEAMS_AUTHORITY`): `<authority>/<tenant>/discovery/v2.0/keys`.
 */
const APP_ID = "00000000-0000-0000-0000-0000000000aa";
const TENANT = "11111111-1111-1111-1111-111111111111";

function rsaKey(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" } };
}
const trusted = rsaKey("trusted-key");
const stranger = rsaKey("trusted-key"); // same kid, another key: a forged signature

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
function sign(
  claims: Record<string, unknown>,
  key: { kid: string; privateKey: KeyObject } = trusted,
): string {
  const head = `${b64({ alg: "RS256", typ: "JWT", kid: key.kid })}.${b64(claims)}`;
  return `${head}.${createSign("RSA-SHA256").update(head).sign(key.privateKey).toString("base64url")}`;
}

let keys: Server;
let authority = "";
let h: TeamsHarness;
const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({
  iss: `${authority}/${TENANT}/v2.0`,
  aud: APP_ID,
  nbf: now() - 60,
  exp: now() + 3600,
  serviceurl: h.connector.url,
  ...over,
});

beforeAll(async () => {
  keys = createServer((req, res) => {
    if (req.url === `/${TENANT}/discovery/v2.0/keys`) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [trusted.jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => keys.listen(0, "127.0.0.1", resolve));
  const a = keys.address();
  authority = `http://127.0.0.1:${typeof a === "object" && a ? a.port : 0}`;
  h = await startTeamsHarness({
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: "not-used-by-these-tests",
    MicrosoftAppTenantId: TENANT,
    TEAMS_AUTHORITY: authority,
    // The connector stand-in listens on loopback.
    TEAMS_LOCAL: "on",
  });
});
afterAll(async () => {
  await h?.close();
  await new Promise<void>((resolve) => keys.close(() => resolve()));
});
beforeEach(() => h.connector.reset());

const install = () =>
  activity(h, {
    tenant: "tenant-z",
    conversation: "19:auth@thread.tacv2",
    type: "conversationUpdate",
    membersAdded: [BOT],
  });

describe("with a client id, every activity needs a verified token", () => {
  it.each([
    ["no token", () => undefined],
    ["not a bearer token", () => "Basic abc"],
    ["a bad signature", () => `Bearer ${sign(claims(), stranger)}`],
    ["another audience", () => `Bearer ${sign({ ...claims(), aud: "someone-else" })}`],
    ["an expired token", () => `Bearer ${sign({ ...claims(), exp: now() - 3600, nbf: now() - 7200 })}`],
    ["another issuer", () => `Bearer ${sign({ ...claims(), iss: "https://issuer.example/v2.0" })}`],
  ])("%s: 401 and nothing runs", async (_what, header) => {
    const authorization = header();
    const res = await h.post(install(), authorization ? { authorization } : {});
    expect(res.status).toBe(401);
    expect(await getTeamsConversation(h.rt.db, "teams:tenant-z", "19:auth@thread.tacv2")).toBeUndefined();
    expect(h.connector.calls).toEqual([]);
  });

  it("a valid token whose serviceurl claim names another host: refused by the adapter, nothing runs", async () => {
    const token = sign(claims({ serviceurl: "https://smba.trafficmanager.net/amer/" }));
    const res = await h.post(install(), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(400);
    expect(await getTeamsConversation(h.rt.db, "teams:tenant-z", "19:auth@thread.tacv2")).toBeUndefined();
  });

  it("a valid token: the activity runs (replies returned inline with expectReplies)", async () => {
    const { serviceUrl: _none, ...inline } = activity(h, {
      tenant: "tenant-z",
      conversation: "a:personal-auth",
      conversationType: "personal",
      text: "help",
      deliveryMode: "expectReplies",
    });
    const { serviceurl: _claim, ...noServiceUrl } = claims();
    const res = await h.post(inline, { authorization: `Bearer ${sign(noServiceUrl)}` });
    expect(res.status).toBe(200);
    const replies = (res.body as { activities: { attachments?: unknown[] }[] }).activities;
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.attachments)).toMatch(/help|clg/i);
    expect(h.connector.calls).toEqual([]);
  });
});
