import { createServer, type IncomingMessage, type Server } from "node:http";

/** One request the stand-in received: a Web API method, a file upload, or a post to a response_url. */
export interface SlackCall {
  at: number;
  /** "chat.postMessage", "upload", "response_url". */
  method: string;
  /** Form fields (JSON-valued ones parsed) or the JSON body. */
  params: Record<string, unknown>;
  token: string | null;
  /** Uploads only: the bytes received. */
  bytes?: number;
  path: string;
}

/** What a method answers: a Slack body (200), or an error with status and Retry-After. */
export type SlackAnswer =
  | Record<string, unknown>
  | { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

type Fixture = (call: SlackCall) => SlackAnswer | undefined;

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edits: number;
}

const parseField = (value: string): unknown => {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A local stand-in for Slack's Web API (point SLACK_API_URL at `apiUrl`): records every call, answers the
 * methods clg-bot uses the way Slack documents them (messages kept per channel with their metadata, the
 * three steps of files.uploadV2, users.info from a table of admins), and answers what a test asks for
 * instead: a fixture per method, errors, 429 with Retry-After. It also plays the response_url endpoint
 * (`responseUrl(id)`).
 */
export async function startSlackApiStandIn() {
  const calls: SlackCall[] = [];
  const messages: StoredMessage[] = [];
  const fixtures = new Map<string, Fixture[]>();
  const admins = new Set<string>();
  /** Channels the bot is not a member of (conversations.info says is_member: false). */
  const outsideChannels = new Set<string>();
  const teamOfToken = new Map<string, string>();
  let socketUrl: string | null = null;
  let nextTs = 1_700_000_000;
  let nextFile = 1;
  let base = "";

  const defaultAnswer = (call: SlackCall): SlackAnswer => {
    const p = call.params;
    switch (call.method) {
      case "auth.test": {
        const team = teamOfToken.get(call.token ?? "") ?? "T0001";
        return { ok: true, team_id: team, team: `Team ${team}`, user_id: "UBOT", bot_id: "BBOT", url: "" };
      }
      case "chat.postMessage": {
        const message: StoredMessage = {
          channel: String(p.channel),
          ts: `${nextTs++}.000100`,
          text: String(p.text ?? ""),
          blocks: (p.blocks as unknown[]) ?? [],
          edits: 0,
          ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
          ...(p.metadata ? { metadata: p.metadata as StoredMessage["metadata"] } : {}),
        };
        messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message };
      }
      case "chat.update": {
        const found = messages.find((m) => m.channel === p.channel && m.ts === p.ts);
        if (!found) return { ok: false, error: "message_not_found" };
        found.text = String(p.text ?? found.text);
        found.blocks = (p.blocks as unknown[]) ?? found.blocks;
        found.edits++;
        return { ok: true, channel: found.channel, ts: found.ts };
      }
      case "conversations.history": {
        const limit = Number(p.limit ?? 100);
        const inChannel = messages
          .filter((m) => m.channel === p.channel && !m.thread_ts)
          .reverse()
          .slice(0, limit);
        return { ok: true, messages: inChannel, has_more: false };
      }
      case "users.info": {
        const user = String(p.user);
        return { ok: true, user: { id: user, is_admin: admins.has(user), is_owner: false } };
      }
      case "conversations.info":
        return {
          ok: true,
          channel: { id: String(p.channel), is_member: !outsideChannels.has(String(p.channel)) },
        };
      case "users.conversations":
        return { ok: true, channels: [], response_metadata: { next_cursor: "" } };
      case "files.getUploadURLExternal": {
        const id = `F${nextFile++}`;
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal":
        return {
          ok: true,
          files: ((p.files as { id: string; title?: string }[]) ?? []).map((f) => ({
            id: f.id,
            title: f.title ?? "",
          })),
        };
      case "views.publish":
        return { ok: true, view: { id: "V1" } };
      case "apps.connections.open":
        return socketUrl ? { ok: true, url: socketUrl } : { ok: false, error: "invalid_auth" };
      case "upload":
      case "response_url":
        return { ok: true };
      default:
        return { ok: false, error: "unknown_method" };
    }
  };

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const raw = await readBody(req);
    const contentType = req.headers["content-type"] ?? "";
    let method: string;
    if (url.pathname.startsWith("/api/")) method = url.pathname.slice(5);
    else if (url.pathname.startsWith("/upload/")) method = "upload";
    else if (url.pathname.startsWith("/response/")) method = "response_url";
    else method = url.pathname;
    let params: Record<string, unknown> = {};
    if (method !== "upload") {
      if (contentType.includes("application/json")) params = JSON.parse(raw.toString() || "{}");
      else for (const [k, v] of new URLSearchParams(raw.toString())) params[k] = parseField(v);
    }
    const auth = req.headers.authorization;
    const call: SlackCall = {
      at: Date.now(),
      method,
      params,
      token: auth?.startsWith("Bearer ") ? auth.slice(7) : ((params.token as string | undefined) ?? null),
      path: url.pathname,
      ...(method === "upload" ? { bytes: raw.length } : {}),
    };
    calls.push(call);
    const queue = fixtures.get(method);
    let answer: SlackAnswer | undefined;
    while (queue && queue.length > 0 && answer === undefined) {
      answer = (queue[0] as Fixture)(call);
      if (answer !== undefined) queue.shift();
      else break;
    }
    answer ??= defaultAnswer(call);
    const status = typeof answer.status === "number" ? answer.status : 200;
    const body = typeof answer.status === "number" ? (answer.body as Record<string, unknown>) : answer;
    const headers =
      typeof answer.status === "number" ? ((answer.headers as Record<string, string>) ?? {}) : {};
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    /** What SLACK_API_URL is set to. */
    apiUrl: `${base}/api/`,
    calls,
    messages,
    /** A response_url the stand-in records (under the API's origin, as the service allows in tests). */
    responseUrl: (id: string) => `${base}/response/${id}`,
    callsOf: (method: string) => calls.filter((c) => c.method === method),
    /** The next call of `method` gets this answer instead of the default (queued, one per call). */
    answerNext(method: string, answer: SlackAnswer) {
      const queue = fixtures.get(method) ?? [];
      queue.push(() => answer);
      fixtures.set(method, queue);
    },
    /** Slack's error shape: HTTP 200 with ok false and an error code. */
    failNext(method: string, error: string) {
      this.answerNext(method, { ok: false, error });
    },
    /** A 429 with Retry-After (seconds), as Slack rate-limits a method. */
    rateLimitNext(method: string, retryAfterSeconds: number) {
      this.answerNext(method, {
        status: 429,
        body: { ok: false, error: "ratelimited" },
        headers: { "retry-after": String(retryAfterSeconds) },
      });
    },
    setAdmin: (user: string) => admins.add(user),
    setNotMember: (channel: string) => outsideChannels.add(channel),
    /** auth.test answers this team for this token. */
    setTeam: (token: string, team: string) => teamOfToken.set(token, team),
    setSocketUrl: (url: string) => {
      socketUrl = url;
    },
    /** Waits until `count` calls of `method` have arrived (or fails after `ms`). */
    async waitFor(method: string, count = 1, ms = 10_000): Promise<SlackCall[]> {
      const until = Date.now() + ms;
      for (;;) {
        const found = calls.filter((c) => c.method === method);
        if (found.length >= count) return found;
        if (Date.now() > until)
          throw new Error(`waited ${ms} ms for ${count} ${method} call(s); got ${found.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SlackApiStandIn = Awaited<ReturnType<typeof startSlackApiStandIn>>;
