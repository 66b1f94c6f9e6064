import { type App, SocketModeReceiver } from "@slack/bolt";
import { Hono } from "hono";
import type { ChatSender } from "../app/chat-sender.ts";
import type { Logger } from "../app/logger.ts";
import type { Runtime } from "../app/runtime.ts";
import type { SlackConfig } from "../config/config.ts";
import type { Db } from "../db/db.ts";
import { HonoReceiver } from "../slack/hono-receiver.ts";
import { slackOAuthFromConfig, slackTokenLookup } from "../slack/oauth.ts";
import { createSlackAdminCheck } from "../slack/slack-admins.ts";
import { createSlackApp } from "../slack/slack-app.ts";
import { createProvisioner, type SlackDeps } from "../slack/slack-context.ts";
import { createSlackSender } from "../slack/slack-sender.ts";
import { type ClientPool, createClientPool, type TokenLookup } from "../slack/web-client.ts";
import { createWorkLimit } from "../slack/work-limit.ts";

/** Answers worked on at once per process (the others queue; acks never do). */
const ANSWERS_AT_ONCE = 2;

/** What the runtime keeps of Slack: how to reach a workspace (its token, a client) and the sender. */
export interface SlackParts {
  config: SlackConfig;
  tokenFor: TokenLookup;
  clients: ClientPool;
  sender: ChatSender;
  fetch: typeof fetch;
}

/**
 * The single-workspace install: SLACK_BOT_TOKEN answers for every Slack workspace that writes to this
 * app (Slack only sends a single-workspace app its own team). The OAuth installation store replaces this
 * lookup with one that reads each team's stored token.
 */
export function singleWorkspaceTokens(config: SlackConfig): TokenLookup {
  return async (workspace) => (workspace.startsWith("slack:") ? config.botToken : null);
}

/** OAuth mode: each workspace's stored bot token; SLACK_BOT_TOKEN, if also set, for a workspace without one. */
export function installedOrSingleTokens(db: Db, secretKey: string, config: SlackConfig): TokenLookup {
  const installed = slackTokenLookup({ db }, secretKey);
  const single = singleWorkspaceTokens(config);
  return async (workspace) => (await installed(workspace)) ?? (await single(workspace));
}

export function createSlackParts(
  config: SlackConfig,
  logger: Logger,
  opts: { tokenFor?: TokenLookup; fetch?: typeof fetch } = {},
): SlackParts {
  const fetchImpl = opts.fetch ?? fetch;
  const clients = createClientPool({ apiUrl: config.apiUrl, logger, fetch: fetchImpl });
  const tokenFor = opts.tokenFor ?? singleWorkspaceTokens(config);
  return {
    config,
    tokenFor,
    clients,
    fetch: fetchImpl,
    sender: createSlackSender({ tokenFor, clients, logger }),
  };
}

/** The running Slack app: its HTTP routes (in Socket Mode only the OAuth install's), start and stop. */
export interface SlackService {
  routes: Hono | null;
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Bolt on our server: over HTTP, a HonoReceiver mounted at POST /slack/events; with SLACK_APP_TOKEN,
 * Bolt's SocketModeReceiver (a WebSocket opened through apps.connections.open). With SLACK_CLIENT_ID,
 * the OAuth install routes (GET /slack/install, /slack/oauth_redirect) are mounted too, and an uninstall
 * deletes the stored installation.
 */
export function startSlackService(
  rt: Runtime,
  parts: SlackParts,
  opts: { env?: Record<string, string | undefined>; now?: () => number } = {},
): SlackService {
  const deps: SlackDeps = {
    rt,
    slack: parts.config,
    tokenFor: parts.tokenFor,
    clients: parts.clients,
    fetch: parts.fetch,
    adminCheck: createSlackAdminCheck(),
    provision: createProvisioner(rt, parts.config, opts.env ?? {}),
    limit: createWorkLimit(ANSWERS_AT_ONCE),
  };
  const oauth = slackOAuthFromConfig(rt, { apiUrl: parts.config.apiUrl, env: opts.env ?? {} });
  const appOptions = oauth ? { installationStore: oauth.installationStore } : {};
  if (parts.config.appToken) {
    const receiver = new SocketModeReceiver({
      appToken: parts.config.appToken,
      installerOptions: { clientOptions: { slackApiUrl: parts.config.apiUrl } },
      logger: parts.clients.options.logger,
      autoReconnectEnabled: true,
    });
    const app = createSlackApp(deps, receiver, appOptions);
    return {
      routes: oauth?.routes ?? null,
      app,
      start: async () => {
        await app.start();
        rt.logger.info("slack: connected in Socket Mode");
      },
      stop: () => app.stop() as Promise<void>,
    };
  }
  if (!parts.config.signingSecret) throw new Error("Slack over HTTP needs SLACK_SIGNING_SECRET.");
  const receiver = new HonoReceiver({
    signingSecret: parts.config.signingSecret,
    logger: rt.logger,
    ...(opts.now ? { now: opts.now } : {}),
  });
  const app = createSlackApp(deps, receiver, appOptions);
  const routes = new Hono();
  routes.post("/slack/events", (c) => receiver.handle(c.req.raw));
  if (oauth) routes.route("/", oauth.routes);
  return {
    routes,
    app,
    start: async () => {},
    stop: () => receiver.stop(),
  };
}
