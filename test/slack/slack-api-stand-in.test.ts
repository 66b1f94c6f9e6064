import { WebClient } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackApiStandIn, startSlackApiStandIn } from "../support/slack-api-stand-in.ts";

let slack: SlackApiStandIn;
let client: WebClient;

beforeAll(async () => {
  slack = await startSlackApiStandIn();
  client = new WebClient("xoxb-test", {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 1, factor: 1, minTimeout: 10 },
  });
});
afterAll(async () => {
  await slack.close();
});

describe("the Slack Web API stand-in speaks to the real WebClient", () => {
  it("records chat.postMessage with its token and parsed blocks", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "hi" } }];
    const got = await client.chat.postMessage({ channel: "C1", text: "hi", blocks });
    expect(got.ok).toBe(true);
    expect(got.ts).toMatch(/^\d+\.\d{6}$/);
    const [call] = slack.callsOf("chat.postMessage");
    expect(call?.token).toBe("xoxb-test");
    expect(call?.params.blocks).toEqual(blocks);
  });

  it("runs a whole filesUploadV2 (URL, upload, complete) and keeps the bytes", async () => {
    const png = Buffer.from("\x89PNG fake image bytes");
    const got = await client.filesUploadV2({ file: png, filename: "chart.png", alt_text: "a chart" });
    const asked = slack.callsOf("files.getUploadURLExternal")[0]?.params;
    expect(asked).toMatchObject({ filename: "chart.png", length: String(png.length), alt_text: "a chart" });
    expect(slack.callsOf("upload")[0]?.bytes).toBeGreaterThanOrEqual(png.length);
    expect(JSON.stringify(got)).toMatch(/"id":"F\d+"/);
  });

  it("answers errors the way Slack does and 429 with Retry-After, which the client honours", async () => {
    slack.failNext("chat.postMessage", "not_in_channel");
    await expect(client.chat.postMessage({ channel: "C2", text: "x" })).rejects.toMatchObject({
      data: { ok: false, error: "not_in_channel" },
    });
    slack.rateLimitNext("chat.update", 1);
    const started = Date.now();
    const strict = new WebClient("xoxb-test", { slackApiUrl: slack.apiUrl, rejectRateLimitedCalls: true });
    await expect(strict.chat.update({ channel: "C2", ts: "1.000001", text: "y" })).rejects.toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 1,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("records response_url posts and answers unknown methods as Slack does", async () => {
    const url = slack.responseUrl("r1");
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"text":"hi"}',
    });
    expect(res.status).toBe(200);
    expect(slack.callsOf("response_url")[0]).toMatchObject({ path: "/response/r1", params: { text: "hi" } });
    await expect(client.apiCall("nope.nothing")).rejects.toMatchObject({ data: { error: "unknown_method" } });
  });
});
