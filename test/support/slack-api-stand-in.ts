import { createServer, type IncomingMessage, type Server } from "node:http";

/** One request the stand-in received: a Web API method, an upload, or a `response_url` post. */
export interface SlackApiCall {
  /** "chat.postMessage", "files.completeUploadExternal", ...; "upload" for a file body; "response_url". */
  method: string;
  /** The bearer token (or the `token` parameter); null when none was sent. */
  token: string | null;
  /** Form or JSON parameters; JSON-looking form values (blocks, files) are parsed. */
  params: Record<string, unknown>;
  /** For "upload" and "response_url": the path id (file id, response id). */
  id?: string;
  /** Raw body bytes (kept for uploads). */
  body: Buffer;
  headers: IncomingMessage["headers"];
  at: number;
}

/** What a method answers: a body (status 200) or a full answer with status and headers. */
export interface SlackAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A fixed body, or a function of the call (return `{ status, headers, body }` for a full answer). */
export type SlackFixture =
  | Record<string, unknown>
  | ((call: SlackApiCall) => SlackAnswer | Record<string, unknown>);

export interface SlackApiStandInOptions {
  /** Answers by method name, over the built-in ones. */
  fixtures?: Record<string, SlackFixture>;
}

const isAnswer = (v: unknown): v is SlackAnswer => typeof v === "object" && v !== null && "body" in v;

function parseParams(raw: Buffer, contentType: string): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (text === "") return {};
  if (contentType.includes("application/json")) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { _raw: text };
    }
  }
  if (contentType.includes("application/x-www-form-urlencoded")) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(text)) {
      if (/^[[{]/.test(v)) {
        try {
          out[k] = JSON.parse(v);
          continue;
        } catch {
          // Not JSON after all: keep the string.
        }
      }
      out[k] = v;
    }
    return out;
  }
  return {};
}

/**
 * A local stand-in for the Slack Web API (point `WebClient`'s `slackApiUrl`, or SLACK_API_URL, at `url`).
 * It records every call, answers the methods clg-bot uses with Slack's documented response shapes, and
 * can be told to fail a method (`{ ok: false, error }`) or rate-limit it (429 with Retry-After).
 * `files.getUploadURLExternal` hands out upload URLs on the stand-in itself, so a whole `filesUploadV2`
 * runs against it; `responseUrl()` gives `response_url`s whose posts are recorded as "response_url".
 */
export async function startSlackApiStandIn(opts: SlackApiStandInOptions = {}) {
  const calls: SlackApiCall[] = [];
  const fixtures = new Map<string, SlackFixture>(Object.entries(opts.fixtures ?? {}));
  const once = new Map<string, SlackAnswer[]>();
  const uploads = new Map<string, Buffer>();
  let seq = 0;
  let origin = "";
  const ts = () => `17${String(Date.now()).slice(-8)}.${String(++seq).padStart(6, "0")}`;

  const builtIn: Record<string, (call: SlackApiCall) => Record<string, unknown>> = {
    "auth.test": () => ({
      ok: true,
      url: "https://acme.slack.com/",
      team: "Acme",
      user: "clg",
      team_id: "T0ACME",
      user_id: "U0CLGBOT",
      bot_id: "B0CLGBOT",
      is_enterprise_install: false,
    }),
    "chat.postMessage": (c) => ({
      ok: true,
      channel: c.params.channel,
      ts: ts(),
      message: { type: "message", text: c.params.text, blocks: c.params.blocks, bot_id: "B0CLGBOT" },
    }),
    "chat.postEphemeral": () => ({ ok: true, message_ts: ts() }),
    "chat.update": (c) => ({ ok: true, channel: c.params.channel, ts: c.params.ts, text: c.params.text }),
    "files.getUploadURLExternal": () => {
      const fileId = `F0${String(++seq).padStart(8, "0")}`;
      return { ok: true, upload_url: `${origin}/upload/${fileId}`, file_id: fileId };
    },
    "files.completeUploadExternal": (c) => ({
      ok: true,
      files: ((c.params.files as { id: string; title?: string }[] | undefined) ?? []).map((f) => ({
        id: f.id,
        title: f.title ?? "",
      })),
    }),
    "views.publish": (c) => ({
      ok: true,
      view: { id: `V0${++seq}`, type: "home", ...(c.params.view as object) },
    }),
    "conversations.info": (c) => ({
      ok: true,
      channel: { id: c.params.channel, name: "general", is_member: true },
    }),
    "users.info": (c) => ({
      ok: true,
      user: { id: c.params.user, name: "dana", is_admin: false, is_owner: false, tz: "Europe/Berlin" },
    }),
    "team.info": () => ({ ok: true, team: { id: "T0ACME", name: "Acme", domain: "acme" } }),
    "oauth.v2.access": () => ({
      ok: true,
      access_token: "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
      token_type: "bot",
      scope: "commands,chat:write,files:write",
      bot_user_id: "U0KRQLJ9H",
      app_id: "A0KRD7HC3",
      team: { name: "Slack Softball Team", id: "T9TK3CUKW" },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: "U1234" },
    }),
    "auth.revoke": () => ({ ok: true, revoked: true }),
  };

  const answer = (call: SlackApiCall): SlackAnswer => {
    const queued = once.get(call.method)?.shift();
    if (queued) return queued;
    const fixture = fixtures.get(call.method);
    if (fixture !== undefined) {
      const got = typeof fixture === "function" ? fixture(call) : fixture;
      return isAnswer(got) ? got : { body: got };
    }
    const fallback = builtIn[call.method];
    return { body: fallback ? fallback(call) : { ok: false, error: "unknown_method" } };
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://stand-in");
      const body = Buffer.concat(chunks);
      const params = parseParams(body, String(req.headers["content-type"] ?? ""));
      const auth = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
      const token = auth ?? (typeof params.token === "string" ? params.token : null);
      const base = { token, params, body, headers: req.headers, at: Date.now() };
      const [, kind, rest] = /^\/(api|upload|response)\/(.+)$/.exec(url.pathname) ?? [];
      let call: SlackApiCall;
      if (kind === "api") call = { ...base, method: rest ?? "" };
      else if (kind === "upload") call = { ...base, method: "upload", id: rest ?? "" };
      else if (kind === "response") call = { ...base, method: "response_url", id: rest ?? "" };
      else {
        res.writeHead(404).end();
        return;
      }
      calls.push(call);
      if (call.method === "upload") uploads.set(call.id ?? "", body);
      const got =
        call.method === "upload"
          ? { body: `OK - ${body.length}` }
          : call.method === "response_url" && !fixtures.has("response_url") && !once.has("response_url")
            ? { body: { ok: true } }
            : answer(call);
      const status = got.status ?? 200;
      const text = typeof got.body === "string" ? got.body : JSON.stringify(got.body);
      res.writeHead(status, {
        "content-type": typeof got.body === "string" ? "text/plain" : "application/json; charset=utf-8",
        ...got.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;

  const queue = (method: string, a: SlackAnswer) => {
    const list = once.get(method) ?? [];
    list.push(a);
    once.set(method, list);
  };

  return {
    /** The Web API base, as `WebClient`'s `slackApiUrl` expects it (trailing slash). */
    url: `${origin}/api/`,
    origin,
    calls,
    /** Files uploaded through the upload URLs, by file id. */
    uploads,
    callsTo: (method: string) => calls.filter((c) => c.method === method),
    /** Replaces a method's answer from now on. */
    on(method: string, fixture: SlackFixture) {
      fixtures.set(method, fixture);
    },
    /** The next call of `method` answers `{ ok: false, error, ...extra }` (HTTP 200, as Slack does). */
    failNext(method: string, error: string, extra: Record<string, unknown> = {}) {
      queue(method, { body: { ok: false, error, ...extra } });
    },
    /** The next call of `method` answers 429 with `Retry-After: seconds`. */
    rateLimitNext(method: string, retryAfterSeconds: number) {
      queue(method, {
        status: 429,
        headers: { "retry-after": String(retryAfterSeconds) },
        body: { ok: false, error: "ratelimited" },
      });
    },
    /** A `response_url` served by the stand-in; posts to it are recorded as method "response_url". */
    responseUrl: (id = String(++seq)) => `${origin}/response/${id}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type SlackApiStandIn = Awaited<ReturnType<typeof startSlackApiStandIn>>;
