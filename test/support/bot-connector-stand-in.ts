import { createServer, type Server } from "node:http";

export interface ConnectorCall {
  method: "POST" | "PUT";
  conversationId: string;
  /** POST to /activities/{id}: the activity replied to; PUT: the activity updated. */
  activityId: string | null;
  authorization: string | null;
  activity: {
    type?: string;
    text?: string;
    summary?: string;
    replyToId?: string;
    attachments?: { contentType: string; content: { fallbackText?: string; body?: unknown[] } }[];
  };
  /** The id the stand-in answered with (null when it refused). */
  id: string | null;
  status: number;
}

export interface PlannedFailure {
  status: number;
  retryAfterSeconds?: number;
  code?: string;
}

/**
 * A local stand-in for the Bot Connector service (the activity's `serviceUrl` points here): records
 * `POST /v3/conversations/{id}/activities[/{replyToId}]` and `PUT .../activities/{id}` and answers with an
 * activity id, or with the failures planned for a conversation (429 with Retry-After, 403, 404 ...).
 */
export async function startBotConnectorStandIn() {
  const calls: ConnectorCall[] = [];
  const planned = new Map<string, PlannedFailure[]>();
  let next = 1;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url ?? "/", "http://stand-in").pathname;
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      if (!m || (req.method !== "POST" && req.method !== "PUT")) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "NotFound", message: path } }));
        return;
      }
      const conversationId = decodeURIComponent(m[1] ?? "");
      const activityId = m[2] ? decodeURIComponent(m[2]) : null;
      const failure = planned.get(conversationId)?.shift();
      const status = failure?.status ?? 200;
      const id = failure ? null : req.method === "PUT" ? (activityId ?? "") : `act-${next++}`;
      calls.push({
        method: req.method,
        conversationId,
        activityId,
        authorization: req.headers.authorization ?? null,
        activity: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"),
        id,
        status,
      });
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (failure?.retryAfterSeconds !== undefined)
        headers["retry-after"] = String(failure.retryAfterSeconds);
      res.writeHead(status, headers);
      res.end(
        JSON.stringify(
          failure ? { error: { code: failure.code ?? `Http${status}`, message: "planned" } } : { id },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    /** The next requests to this conversation get these answers, in order. */
    fail(conversationId: string, ...failures: PlannedFailure[]) {
      planned.set(conversationId, [...(planned.get(conversationId) ?? []), ...failures]);
    },
    reset() {
      calls.length = 0;
      planned.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type BotConnectorStandIn = Awaited<ReturnType<typeof startBotConnectorStandIn>>;
