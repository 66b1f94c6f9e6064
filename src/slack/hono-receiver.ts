import { parse as parseQuery } from "node:querystring";
import type { App, Receiver, ReceiverEvent } from "@slack/bolt";
import { verifySlackRequest } from "@slack/bolt";
import type { Logger } from "../app/logger.ts";

export interface HonoReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Milliseconds since the epoch; handed in so the 5-minute window can be tested. */
  now?: () => number;
  /** Answer 200 with no body if no listener acknowledged within this long (Slack gives up at 3,000 ms). */
  ackTimeoutMs?: number;
}

/** How far a request's timestamp may be from our clock, either way (Slack's rule is 5 minutes). */
const WINDOW_SECONDS = 5 * 60;

const empty = (status: number) => new Response(null, { status });
const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });

/** Slack sends form bodies (slash commands, and `payload=` JSON for interactivity) and JSON (events). */
function parseBody(raw: string, contentType: string): Record<string, unknown> | null {
  try {
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      const form = parseQuery(raw) as Record<string, unknown>;
      return typeof form.payload === "string" ? JSON.parse(form.payload) : form;
    }
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Bolt's receiver on our Hono server: one request to POST /slack/events becomes one event and one ack
 * (bolt-js's Receiver interface, as its Fastify example). The raw body is verified with Bolt's own
 * `verifySlackRequest` (HMAC-SHA256 of `v0:timestamp:body`), plus a check that the timestamp is not in the
 * future; anything that fails is answered 401 before it is parsed, and nothing runs. `ssl_check` and
 * `url_verification` are answered here; the HTTP answer goes out when a listener calls `ack()`, while the
 * listener carries on (the answer through response_url follows).
 */
export class HonoReceiver implements Receiver {
  private app: App | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: HonoReceiverOptions) {
    this.now = options.now ?? Date.now;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 2_500;
  }

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  /** Waits for listeners still running (answers being sent) so a shutdown does not cut them off. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Whether the request is Slack's: signature over the raw body, timestamp within 5 minutes either way. */
  verify(raw: string, headers: Headers): boolean {
    const signature = headers.get("x-slack-signature");
    const ts = Number(headers.get("x-slack-request-timestamp"));
    if (!signature || !Number.isInteger(ts)) return false;
    const nowMs = this.now();
    if (ts > Math.floor(nowMs / 1000) + WINDOW_SECONDS) return false;
    try {
      verifySlackRequest({
        signingSecret: this.options.signingSecret,
        body: raw,
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": ts },
        nowMilliseconds: nowMs,
      });
      return true;
    } catch {
      return false;
    }
  }

  /** The handler for POST /slack/events. */
  async handle(request: Request): Promise<Response> {
    const log = this.options.logger;
    const raw = await request.text();
    if (!this.verify(raw, request.headers)) {
      log.warn(
        { timestamp: request.headers.get("x-slack-request-timestamp") },
        "slack request refused: bad signature or timestamp",
      );
      return empty(401);
    }
    const body = parseBody(raw, request.headers.get("content-type") ?? "");
    if (body === null) {
      log.warn("slack request with a body that is neither a form nor JSON; answered 200, ignored");
      return empty(200);
    }
    if (body.ssl_check) return empty(200);
    if (body.type === "url_verification") return json({ challenge: body.challenge });
    if (!this.app) return empty(503);

    let answered: (response: Response) => void = () => {};
    const response = new Promise<Response>((resolve) => {
      answered = resolve;
    });
    let acked = false;
    const retryNum = Number(request.headers.get("x-slack-retry-num") ?? "");
    const retryReason = request.headers.get("x-slack-retry-reason");
    const event: ReceiverEvent = {
      body,
      ...(Number.isInteger(retryNum) && retryNum > 0 ? { retryNum } : {}),
      ...(retryReason ? { retryReason } : {}),
      ack: async (reply?: unknown) => {
        if (acked) return;
        acked = true;
        if (reply === undefined || reply === null || reply === "") answered(empty(200));
        else if (typeof reply === "string") answered(new Response(reply, { status: 200 }));
        else answered(json(reply));
        // The listener goes on with the answer only once the HTTP answer is written: work that holds
        // the event loop (an in-process database) must not sit between the ack and Slack.
        await new Promise((resolve) => setImmediate(resolve));
      },
    };
    const timer = setTimeout(() => {
      if (acked) return;
      acked = true;
      log.warn({ type: body.type }, "slack event not acknowledged in time; answered 200");
      answered(empty(200));
    }, this.ackTimeoutMs);
    const work = this.app
      .processEvent(event)
      .catch((err: unknown) => log.error({ err, type: body.type }, "slack event failed"))
      .finally(() => {
        clearTimeout(timer);
        this.inFlight.delete(work);
        if (!acked) {
          acked = true;
          log.info({ type: body.type }, "slack payload no listener handles; answered 200");
          answered(empty(200));
        }
      });
    this.inFlight.add(work);
    return response;
  }
}
