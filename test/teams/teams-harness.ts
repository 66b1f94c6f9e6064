import { serve } from "@hono/node-server";
import { createLogger } from "../../src/logging/create-logger.ts";
import { createHttpApp } from "../../src/server/http-app.ts";
import type { ServiceApi } from "../../src/server/service-api.ts";
import { type BotConnectorStandIn, startBotConnectorStandIn } from "../support/bot-connector-stand-in.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

export const BOT = { id: "28:clg-bot", name: "clg" };

export interface TeamsHarness {
  rt: TestRuntime;
  connector: BotConnectorStandIn;
  /** The service's Hono app with the Teams endpoint mounted, on a loopback port. */
  base: string;
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/**
 * The runtime with Teams composed as the service composes it (from the environment), its endpoint served
 * through the service's Hono app, and a Bot Connector stand-in the activities' serviceUrl points at.
 */
export async function startTeamsHarness(
  env: Record<string, string> = { TEAMS_LOCAL: "on" },
  opts: { charts?: boolean } = {},
): Promise<TeamsHarness> {
  const connector = await startBotConnectorStandIn();
  const rt = await openTestRuntime({
    bootstrap: false,
    env,
    runtime: { logger: createLogger(process.env.LOG_LEVEL ?? "silent"), charts: opts.charts ?? false },
  });
  if (!rt.teams) throw new Error("Teams is not composed with this environment");
  // Only the Teams route is exercised; the local API is not reached by these requests.
  const app = createHttpApp({} as ServiceApi, createLogger("silent"), {
    localToken: "unused-token-unused-token",
    routes: [rt.teams.routes(rt)],
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    rt,
    connector,
    base,
    async post(activity, headers = {}) {
      const res = await fetch(`${base}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(activity),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {}
      return { status: res.status, body };
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rt.close();
      await connector.close();
    },
  };
}

let nextId = 1;

/** A Teams activity as the Bot Connector sends it: one tenant, one conversation, the bot as recipient. */
export function activity(
  h: Pick<TeamsHarness, "connector">,
  o: {
    tenant: string;
    conversation: string;
    conversationType?: "channel" | "groupChat" | "personal";
    type?: string;
    text?: string;
    mention?: boolean;
    user?: string;
    teamId?: string;
    [extra: string]: unknown;
  },
) {
  const {
    tenant,
    conversation,
    conversationType = "channel",
    type = "message",
    text,
    mention,
    user = "u-dana",
    teamId,
    ...extra
  } = o;
  const mentionText = `<at>${BOT.name}</at>`;
  return {
    type,
    id: `in-${nextId++}`,
    channelId: "msteams",
    serviceUrl: h.connector.url,
    timestamp: new Date().toISOString(),
    locale: "en-US",
    from: { id: `29:${user}`, name: user, aadObjectId: user },
    recipient: BOT,
    conversation: {
      id: conversation,
      conversationType,
      tenantId: tenant,
      isGroup: conversationType !== "personal",
    },
    channelData: {
      tenant: { id: tenant },
      ...(teamId ? { team: { id: teamId, name: `Team ${teamId}` } } : {}),
    },
    ...(text === undefined ? {} : { text: mention ? `${mentionText} ${text}` : text }),
    ...(mention ? { entities: [{ type: "mention", text: mentionText, mentioned: BOT }] } : {}),
    ...extra,
  };
}

/** The card an answer carried (the first attachment), as text for matching. */
export function cardText(call: { activity: { attachments?: { content: unknown }[] } } | undefined): string {
  return JSON.stringify(call?.activity.attachments?.[0]?.content ?? null);
}
