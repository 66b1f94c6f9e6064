import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "../../src/app/clock.ts";
import { createRuntime, type LocalRuntime } from "../../src/compose/runtime.ts";
import { type RunningService, startService } from "../../src/compose/service.ts";
import { parseConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/logging/create-logger.ts";
import { type SlackApiStandIn, startSlackApiStandIn } from "../support/slack-api-stand-in.ts";
import { openTestDb } from "../support/test-db.ts";
import { TEST_NOW } from "../support/test-runtime.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const BOT_TOKEN = "xoxb-test-token";

export interface SlackFixture {
  rt: LocalRuntime & { clock: ReturnType<typeof fixedClock> };
  service: RunningService;
  api: SlackApiStandIn;
  base: string;
  /** The receiver's clock for the signature window; null: the real time. */
  setSigningNow(ms: number | null): void;
  /** POSTs a body to /slack/events signed as Slack signs (or with what the options say). */
  post(
    body: string,
    opts?: {
      contentType?: string;
      ts?: number;
      secret?: string;
      signature?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  slash(
    text: string,
    opts?: { team?: string; user?: string; channel?: string; responseId?: string; responseUrl?: string },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function sign(secret: string, ts: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
}

/**
 * The real service (HTTP, background work, outbox) with Slack configured over HTTP against a local Web
 * API stand-in: signed requests go to its Hono app at /slack/events, and every Slack call is recorded.
 */
export async function startSlackFixture(
  opts: { charts?: boolean; env?: Record<string, string> } = {},
): Promise<SlackFixture> {
  const api = await startSlackApiStandIn();
  const dataDir = mkdtempSync(join(tmpdir(), "clg-slack-"));
  const opened = await openTestDb();
  const config = parseConfig({
    CLG_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: api.apiUrl,
    ...opts.env,
  });
  const clock = fixedClock(TEST_NOW);
  const rt = createRuntime(config, opened, {
    clock,
    logger: createLogger("silent"),
    print: null,
    charts: opts.charts ?? false,
    sinkFolder: null,
  });
  let signingNow: number | null = null;
  const service = await startService(rt, { slack: { now: () => signingNow ?? Date.now() } });
  await service.ready;
  const base = `http://127.0.0.1:${service.port}`;
  const post: SlackFixture["post"] = (body, o = {}) => {
    const ts = o.ts ?? nowSeconds();
    return fetch(`${base}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": o.contentType ?? "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": o.signature ?? sign(o.secret ?? SIGNING_SECRET, ts, body),
        ...o.headers,
      },
      body,
    });
  };
  return {
    rt: Object.assign(rt, { clock }),
    service,
    api,
    base,
    setSigningNow: (ms) => {
      signingNow = ms;
    },
    post,
    slash: (text, o = {}) =>
      post(
        new URLSearchParams({
          token: "unused",
          team_id: o.team ?? "T1",
          team_domain: "acme",
          channel_id: o.channel ?? "C1",
          channel_name: "growth",
          user_id: o.user ?? "U1",
          user_name: "dana",
          command: "/clg",
          text,
          response_url: o.responseUrl ?? api.responseUrl(o.responseId ?? "r1"),
          trigger_id: "1.2.3",
        }).toString(),
      ),
    async stop() {
      await service.stop();
      await rt.close();
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The response_url posts the stand-in received for one id. */
export const responsesTo = (api: SlackApiStandIn, id: string) =>
  api.callsOf("response_url").filter((c) => c.path === `/response/${id}`);

export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 15_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
