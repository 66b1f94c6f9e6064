import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { responsesTo, type SlackFixture, startSlackFixture, waitUntil } from "./slack-fixture.ts";

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture({ charts: true });
}, 60_000);
afterAll(async () => {
  await f?.stop();
});

/** Slack's documented example of a signed request (docs: "Verifying requests from Slack"). */
const DOC_BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const DOC_TS = 1531420618;
const DOC_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

describe("POST /slack/events: signatures", () => {
  it("accepts Slack's documented example at its own time, and refuses it 5 minutes and a second later", async () => {
    f.setSigningNow(DOC_TS * 1000 + 60_000);
    try {
      const ok = await f.post(DOC_BODY, { ts: DOC_TS, signature: DOC_SIGNATURE });
      // A command no listener handles: acknowledged, logged, nothing else.
      expect(ok.status).toBe(200);
      f.setSigningNow((DOC_TS + 301) * 1000);
      const stale = await f.post(DOC_BODY, { ts: DOC_TS, signature: DOC_SIGNATURE });
      expect(stale.status).toBe(401);
      f.setSigningNow((DOC_TS - 301) * 1000);
      const future = await f.post(DOC_BODY, { ts: DOC_TS, signature: DOC_SIGNATURE });
      expect(future.status).toBe(401);
    } finally {
      f.setSigningNow(null);
    }
  });

  it("a bad signature or an old timestamp: 401 and nothing runs", async () => {
    const before = f.api.calls.length;
    const valid = await f.slash("activation 28d", { responseId: "valid" });
    expect(valid.status).toBe(200);
    await f.api.waitFor("response_url", 1);
    const after = f.api.calls.length;
    const body = "team_id=T1&channel_id=C1&user_id=U1&command=%2Fclg&text=board&response_url=x";
    expect((await f.post(body, { secret: "not-the-secret" })).status).toBe(401);
    expect((await f.post(body, { ts: Math.floor(Date.now() / 1000) - 301 })).status).toBe(401);
    expect((await f.post(body, { signature: "v1=abc" })).status).toBe(401);
    expect((await f.post(body, { headers: { "x-slack-request-timestamp": "soon" } })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(f.api.calls.length).toBe(after);
    expect(after).toBeGreaterThan(before);
  });

  it("answers url_verification and ssl_check, and unknown payloads with 200", async () => {
    const challenge = await f.post(
      JSON.stringify({ type: "url_verification", challenge: "c-123", token: "t" }),
      {
        contentType: "application/json",
      },
    );
    expect(await challenge.json()).toEqual({ challenge: "c-123" });
    expect((await f.post("ssl_check=1&token=x")).status).toBe(200);
    const unknown = await f.post(JSON.stringify({ type: "something_new", team_id: "T1" }), {
      contentType: "application/json",
    });
    expect(unknown.status).toBe(200);
    expect((await f.post("{not json", { contentType: "application/json" })).status).toBe(200);
  });
});

describe("/clg", () => {
  it("acks at once, then answers privately through response_url with the chart uploaded inside", async () => {
    const started = performance.now();
    const res = await f.slash("activation 28d", { responseId: "a1" });
    const ackMs = performance.now() - started;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(ackMs).toBeLessThan(3_000);
    const [answer] = await waitUntil(() => responsesTo(f.api, "a1").length > 0 && responsesTo(f.api, "a1"));
    const p = answer?.params as { response_type: string; text: string; blocks: Record<string, unknown>[] };
    expect(p.response_type).toBe("ephemeral");
    expect(p.text).toMatch(/Activation/);
    const image = p.blocks.find((b) => b.type === "image") as {
      slack_file: { id: string };
      alt_text: string;
    };
    expect(image.slack_file.id).toMatch(/^F\d+$/);
    expect(image.alt_text.length).toBeGreaterThan(10);
    // files.uploadV2: the three steps, the bytes of a PNG, the alt text given to Slack.
    const url = f.api.callsOf("files.getUploadURLExternal").at(-1);
    expect(url?.params.alt_text).toBe(image.alt_text);
    expect(Number(url?.params.length)).toBeGreaterThan(1000);
    expect(f.api.callsOf("upload").at(-1)?.bytes).toBeGreaterThan(1000);
    const completed = f.api.callsOf("files.completeUploadExternal").at(-1);
    expect(JSON.stringify(completed?.params.files)).toContain(image.slack_file.id);
    expect(completed?.params.channel_id).toBeUndefined();
    expect(completed?.token).toBe("xoxb-test-token");
  });

  it("`share ...` posts in the channel; an unknown command gets the closest words privately", async () => {
    await f.slash("share board", { responseId: "s1" });
    const [shared] = await waitUntil(() => responsesTo(f.api, "s1").length > 0 && responsesTo(f.api, "s1"));
    expect(shared?.params.response_type).toBe("in_channel");
    await f.slash("bord", { responseId: "u1" });
    const [unknown] = await waitUntil(() => responsesTo(f.api, "u1").length > 0 && responsesTo(f.api, "u1"));
    expect(unknown?.params.response_type).toBe("ephemeral");
    expect(String(unknown?.params.text)).toMatch(/"board"/);
  });

  it("a subscription in a channel the bot is not in says how to invite it", async () => {
    f.api.setNotMember("COUT");
    await f.slash("subscribe alerts all", { channel: "COUT", responseId: "inv1" });
    const [outside] = await waitUntil(
      () => responsesTo(f.api, "inv1").length > 0 && responsesTo(f.api, "inv1"),
    );
    expect(JSON.stringify(outside?.params.blocks)).toMatch(/invite me with `\/invite @clg`/);
    await f.slash("subscribe alerts all", { channel: "CIN", responseId: "inv2" });
    const [inside] = await waitUntil(
      () => responsesTo(f.api, "inv2").length > 0 && responsesTo(f.api, "inv2"),
    );
    expect(JSON.stringify(inside?.params.blocks)).not.toMatch(/invite/);
  });

  it("when answering fails on our side, the person is told so with an id, never left waiting", async () => {
    f.api.answerNext("response_url", { status: 500, body: { ok: false } });
    await f.slash("board", { responseId: "fail1" });
    const [, told] = await waitUntil(
      () => responsesTo(f.api, "fail1").length > 1 && responsesTo(f.api, "fail1"),
    );
    expect(told?.params.response_type).toBe("ephemeral");
    expect(String(told?.params.text)).toMatch(/Something went wrong answering "board"/);
    expect(JSON.stringify(told?.params.blocks)).toMatch(/clg_internal/);
  });

  it("refuses a response_url that is not Slack's: nothing is sent anywhere", async () => {
    const before = f.api.calls.length;
    const res = await f.slash("board", { responseUrl: "https://evil.example.com/hook" });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(f.api.calls.slice(before).filter((c) => c.method === "response_url")).toEqual([]);
  });

  it("a retried mention (x-slack-retry-num) never posts a second answer", async () => {
    const event = (retry: number) =>
      f.post(
        JSON.stringify({
          type: "event_callback",
          team_id: "T1",
          api_app_id: "A1",
          event_id: "Ev1",
          event_time: 1,
          event: {
            type: "app_mention",
            user: "U1",
            text: "<@UBOT> board",
            channel: "C9",
            ts: "1700.0001",
            event_ts: "1700.0001",
          },
          authorizations: [{ team_id: "T1", user_id: "UBOT", is_bot: true }],
        }),
        {
          contentType: "application/json",
          headers:
            retry > 0 ? { "x-slack-retry-num": String(retry), "x-slack-retry-reason": "http_timeout" } : {},
        },
      );
    expect((await event(0)).status).toBe(200);
    await waitUntil(async () => (await listDeliveries(f.rt.db, "slack:T1", { channel: "C9" })).length > 0);
    expect((await event(1)).status).toBe(200);
    expect((await event(2)).status).toBe(200);
    const posted = await f.api.waitFor("chat.postMessage");
    await new Promise((r) => setTimeout(r, 600));
    const inC9 = f.api.callsOf("chat.postMessage").filter((c) => c.params.channel === "C9");
    expect(inC9).toHaveLength(1);
    expect(inC9[0]?.params.thread_ts).toBe("1700.0001");
    expect(posted.length).toBeGreaterThan(0);
  });
});
