import { Activity } from "@microsoft/agents-activity";
import { HttpError } from "@microsoft/agents-hosting";
import { describe, expect, it } from "vitest";
import { paceIntervalMs } from "../../src/app/chat-sender.ts";
import { commandTextOf, tenantOf } from "../../src/teams/activity-facts.ts";
import { createTeamsSender, deliveryErrorOf } from "../../src/teams/teams-sender.ts";
import { isTrustedServiceUrl } from "../../src/teams/trusted-service-url.ts";

const policy = { extraHosts: ["bots.contoso.example"], allowLoopback: false };

describe("trusted service URLs", () => {
  it.each([
    ["https://smba.trafficmanager.net/amer/", true],
    ["https://smba.trafficmanager.net/teams/", true],
    ["https://smba.infra.gcc.teams.microsoft.com/", true],
    ["https://europe.webchat.botframework.com/", true],
    ["https://bots.contoso.example/", true],
    ["https://eu.bots.contoso.example/", true],
    ["http://smba.trafficmanager.net/amer/", false],
    ["https://smba.trafficmanager.net.evil.example/", false],
    ["https://evilsmba.trafficmanager.net/", false],
    ["https://user:pass@smba.trafficmanager.net/", false],
    ["http://127.0.0.1:3978/", false],
    ["not a url", false],
    [undefined, false],
  ])("%s -> %s", (url, trusted) => {
    expect(isTrustedServiceUrl(url, policy)).toBe(trusted);
  });

  it("loopback only in local mode", () => {
    expect(isTrustedServiceUrl("http://127.0.0.1:3978/", { ...policy, allowLoopback: true })).toBe(true);
    expect(isTrustedServiceUrl("http://localhost:3978/", { ...policy, allowLoopback: true })).toBe(true);
    expect(isTrustedServiceUrl("http://10.0.0.5:3978/", { ...policy, allowLoopback: true })).toBe(false);
  });
});

function httpError(status: number, headers: Record<string, string> = {}, data: unknown = {}) {
  const config = { method: "post", url: "v3/conversations/c/activities" };
  return new HttpError(
    `HTTP ${status}`,
    { data, status, statusText: "", headers: new Headers(headers), config },
    config,
  );
}

describe("pace", () => {
  it("one send every 2 s per conversation keeps under 7/s, 60/30 s and 1,800/h", () => {
    const sender = createTeamsSender({} as Parameters<typeof createTeamsSender>[0]);
    expect(paceIntervalMs(sender.limits)).toBe(2_000);
  });
});

describe("connector answers as delivery errors", () => {
  const now = new Date("2026-11-30T10:00:00Z");
  it.each([
    [429, "rate_limited"],
    [412, "transient"],
    [502, "transient"],
    [504, "transient"],
    [500, "transient"],
    [403, "channel_gone"],
    [404, "channel_gone"],
    [401, "auth_revoked"],
    [400, "bad_message"],
    [413, "bad_message"],
  ])("%i -> %s", (status, reason) => {
    expect(deliveryErrorOf(httpError(status), now).reason).toBe(reason);
  });

  it("honours Retry-After in seconds or as a date, keeps the platform's code and the cause", () => {
    expect(deliveryErrorOf(httpError(429, { "retry-after": "7" }), now).retryAfterMs).toBe(7_000);
    const dated = deliveryErrorOf(httpError(429, { "retry-after": "Mon, 30 Nov 2026 10:00:30 GMT" }), now);
    expect(dated.retryAfterMs).toBe(30_000);
    const gone = httpError(403, {}, { error: { code: "BotNotInConversationRoster" } });
    const e = deliveryErrorOf(gone, now);
    expect(e.platformCode).toBe("BotNotInConversationRoster");
    expect(e.cause).toBe(gone);
    expect(deliveryErrorOf(new TypeError("fetch failed"), now).reason).toBe("transient");
  });
});

describe("activities", () => {
  const base = {
    type: "message",
    recipient: { id: "28:bot", name: "clg" },
    conversation: { id: "19:c@thread.tacv2", tenantId: "t-1" },
  };

  it("removes the bot's mention and what Teams adds around text", () => {
    const a = Activity.fromObject({
      ...base,
      text: "<at>clg</at>&nbsp;activation <b>28d</b>",
      entities: [{ type: "mention", text: "<at>clg</at>", mentioned: { id: "28:bot", name: "clg" } }],
    });
    expect(commandTextOf(a)).toBe("activation 28d");
    expect(commandTextOf(Activity.fromObject({ ...base, text: "  board " }))).toBe("board");
    expect(commandTextOf(Activity.fromObject({ ...base, text: "<at>clg</at> board 7d" }))).toBe("board 7d");
  });

  it("reads the tenant from the conversation or the channel data, and refuses odd ids", () => {
    expect(tenantOf(Activity.fromObject(base))).toBe("t-1");
    const fromData = { ...base, conversation: { id: "x" }, channelData: { tenant: { id: "t-2" } } };
    expect(tenantOf(Activity.fromObject(fromData))).toBe("t-2");
    const odd = { ...base, conversation: { id: "x", tenantId: "../../etc" } };
    expect(tenantOf(Activity.fromObject(odd))).toBeNull();
  });
});
