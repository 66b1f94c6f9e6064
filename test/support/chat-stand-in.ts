import { createServer, type Server } from "node:http";

export interface StandInRecord {
  at: number;
  channel: string;
  kind: "post" | "reply" | "update";
  key: string | null;
  parentMessageId: string | null;
  messageId: string;
  summary: string;
}

export interface StandInOptions {
  /** Slack's documented pace: a channel that gets a second message sooner than this is answered 429. */
  minGapMs?: number;
  /** Channels whose first request is answered 429 with this Retry-After (seconds), to exercise the pause. */
  throttleFirst?: { channels: ReadonlySet<string>; retryAfterSeconds: number };
  /** Channels answered with a platform error every time: HTTP status and Slack-style error code. */
  failing?: ReadonlyMap<string, { status: number; error: string }>;
}

/**
 * A local HTTP stand-in for a chat platform: records every post, reply and update (the `/send` shape of
 * the test platform sender), answers 429 with Retry-After when a channel is sent to faster than its pace
 * (counted as a pace violation) or when told to throttle, and lets the sender look a message up by key.
 */
export async function startChatStandIn(opts: StandInOptions = {}) {
  const records: StandInRecord[] = [];
  const lastAccepted = new Map<string, number>();
  const throttled = new Set<string>();
  const paceViolations: { channel: string; gapMs: number }[] = [];
  let throttles = 0;
  let nextId = 1;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/stats") {
      return reply(200, {
        count: records.length,
        lastAt: records.at(-1)?.at ?? null,
        paceViolations: paceViolations.length,
      });
    }
    if (req.method === "GET" && url.pathname === "/find") {
      const found = records.find(
        (r) => r.channel === url.searchParams.get("channel") && r.key === url.searchParams.get("key"),
      );
      return found ? reply(200, { messageId: found.messageId }) : reply(404, { error: "not_found" });
    }
    let raw = "";
    req.on("data", (c) => {
      raw += c;
    });
    req.on("end", () => {
      const at = Date.now();
      const body = JSON.parse(raw) as Omit<StandInRecord, "at" | "messageId">;
      if (opts.throttleFirst?.channels.has(body.channel) && !throttled.has(body.channel)) {
        throttled.add(body.channel);
        throttles++;
        return reply(
          429,
          { ok: false, error: "ratelimited" },
          {
            "retry-after": String(opts.throttleFirst.retryAfterSeconds),
          },
        );
      }
      const failure = opts.failing?.get(body.channel);
      if (failure) return reply(failure.status, { ok: false, error: failure.error });
      const last = lastAccepted.get(body.channel);
      if (opts.minGapMs && last !== undefined && at - last < opts.minGapMs) {
        paceViolations.push({ channel: body.channel, gapMs: at - last });
        return reply(429, { ok: false, error: "ratelimited" }, { "retry-after": "1" });
      }
      lastAccepted.set(body.channel, at);
      const messageId =
        body.kind === "update" && body.parentMessageId ? body.parentMessageId : `m${nextId++}`;
      records.push({ ...body, at, messageId });
      reply(200, { ok: true, messageId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    paceViolations,
    throttles: () => throttles,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
