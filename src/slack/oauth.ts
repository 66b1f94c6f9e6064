import { type CodedError, ErrorCode, type Installation, InstallProvider } from "@slack/oauth";
import { Hono } from "hono";
import { bootstrapWorkspace } from "../app/bootstrap.ts";
import { resumePlatformInWorkspace } from "../app/pause-platform.ts";
import type { Runtime } from "../app/runtime.ts";
import type { SlackOAuthConfig } from "../config/config.ts";
import { findSlackInstallationOfWorkspace } from "../db/slack-installations-repository.ts";
import { PostgresInstallationStore } from "./installation-store.ts";
import { CollectedResponse, nodeRequestOf } from "./node-http-shim.ts";
import { SLACK_BOT_SCOPES } from "./slack-features.ts";
import type { TokenLookup } from "./web-client.ts";
import { webClientOptions } from "./web-client.ts";
import { slackWorkspaceId } from "./workspace-id.ts";

export const SLACK_INSTALL_PATH = "/slack/install";
export const SLACK_REDIRECT_PATH = "/slack/oauth_redirect";

export interface SlackOAuthDeps {
  rt: Runtime;
  oauth: SlackOAuthConfig;
  /** CLG_SECRET_KEY: installations are stored encrypted with it. */
  secretKey: string;
  /** The Web API base (SLACK_API_URL), ending in "/". */
  apiUrl: string;
  /** PUBLIC_URL: the redirect URL sent to Slack is built from it; null leaves it to the app's settings. */
  publicUrl: string | null;
  /** Secrets the default catalog may name (the process environment in the service). */
  env: Record<string, string | undefined>;
  /** Slack's authorize page; tests point it elsewhere. */
  authorizationUrl?: string;
}

export interface SlackOAuth {
  installer: InstallProvider;
  installationStore: PostgresInstallationStore;
  /** The bot token of a workspace (`slack:<team_id>` / `slack:<enterprise_id>`), null when not installed. */
  tokenFor: TokenLookup;
  /** Bolt's `authorize`, from the installation store. */
  authorize: InstallProvider["authorize"];
  /** `GET /slack/install` and `GET /slack/oauth_redirect`, to mount on the service's Hono app. */
  routes: Hono;
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function page(status: number, title: string, paragraphs: string[]): { status: number; html: string } {
  const body = paragraphs.map((p) => `<p>${p}</p>`).join("\n");
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>`,
  };
}

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "content-security-policy":
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

function write(res: CollectedResponse, p: { status: number; html: string }): void {
  res.writeHead(p.status, PAGE_HEADERS);
  res.end(p.html);
}

/** The workspace an installation serves (org-wide installs serve the enterprise). */
export function workspaceOfInstallation(installation: Installation): string | null {
  return slackWorkspaceId({
    teamId: installation.team?.id,
    enterpriseId: installation.enterprise?.id,
    isEnterpriseInstall: installation.isEnterpriseInstall,
  });
}

/**
 * After Slack stored the install: the workspace is provisioned (default catalog when empty, name, the
 * installer's DM as the admins' channel) and subscriptions paused by an earlier uninstall run again.
 */
async function provisionInstall(deps: SlackOAuthDeps, installation: Installation): Promise<string> {
  const workspace = workspaceOfInstallation(installation);
  if (workspace === null) throw new Error("A Slack installation names neither a team nor an enterprise.");
  const name = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
  await bootstrapWorkspace(deps.rt.pollDeps, deps.rt.config, deps.env, {
    id: workspace,
    ...(name ? { name } : {}),
    ...(installation.user.id ? { adminPlatform: "slack", adminChannel: installation.user.id } : {}),
  });
  await resumePlatformInWorkspace(deps.rt.db, { workspace, platform: "slack" });
  deps.rt.logger.info(
    { workspace, enterprise: installation.isEnterpriseInstall === true },
    "slack app installed",
  );
  return workspace;
}

function installedPage(installation: Installation): { status: number; html: string } {
  const name = escapeHtml(
    (installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ??
      "your workspace",
  );
  const open =
    installation.team?.id && installation.appId
      ? ` <a href="slack://app?team=${encodeURIComponent(installation.team.id)}&amp;id=${encodeURIComponent(installation.appId)}">Open clg in Slack</a>.`
      : "";
  return page(200, "clg-bot is installed", [
    `clg-bot is now in <strong>${name}</strong>, with the default KPI catalog.${open}`,
    "Type <code>/clg help</code> in any channel. To get alerts and digests in a channel, invite the bot there first: <code>/invite @clg</code>.",
  ]);
}

function failedPage(error: CodedError): { status: number; html: string } {
  const badRequest = [
    ErrorCode.MissingStateError,
    ErrorCode.InvalidStateError,
    ErrorCode.MissingCodeError,
  ].includes(error.code as ErrorCode);
  if (error.code === ErrorCode.AuthorizationError)
    return page(200, "Installation cancelled", [
      "Nothing was installed. You can start again from the install link.",
    ]);
  return badRequest
    ? page(400, "This install link has expired", [
        "The install has to be finished in the browser that started it, within 10 minutes. Start again from the install link.",
      ])
    : page(500, "The installation did not finish", [
        `Please try again, or tell the app's operator (reason: ${escapeHtml(error.code)}).`,
      ]);
}

/**
 * Multi-workspace install through Slack OAuth v2 (@slack/oauth's InstallProvider, used as documented): the
 * state is signed with SLACK_STATE_SECRET and bound to the browser by a cookie, the grant is exchanged
 * with oauth.v2.access, the installation stored encrypted in PostgreSQL, and the workspace provisioned.
 */
export function createSlackOAuth(deps: SlackOAuthDeps): SlackOAuth {
  const installationStore = new PostgresInstallationStore(deps.rt.db, deps.secretKey, deps.rt.clock);
  const { logger, slackApiUrl, timeout } = webClientOptions({ apiUrl: deps.apiUrl, logger: deps.rt.logger });
  const redirectUri = deps.publicUrl ? new URL(SLACK_REDIRECT_PATH, deps.publicUrl).toString() : undefined;
  const installer = new InstallProvider({
    clientId: deps.oauth.clientId,
    clientSecret: deps.oauth.clientSecret,
    stateSecret: deps.oauth.stateSecret,
    installationStore,
    directInstall: true,
    installUrlOptions: {
      scopes: [...(deps.oauth.scopes ?? SLACK_BOT_SCOPES)],
      ...(redirectUri ? { redirectUri } : {}),
    },
    ...(deps.authorizationUrl ? { authorizationUrl: deps.authorizationUrl } : {}),
    logger,
    clientOptions: { slackApiUrl, timeout },
  });

  const routes = new Hono();
  routes.get(SLACK_INSTALL_PATH, async (c) => {
    const res = new CollectedResponse();
    await installer.handleInstallPath(nodeRequestOf(c.req.raw), res.asNode());
    return res.toResponse();
  });
  routes.get(SLACK_REDIRECT_PATH, async (c) => {
    const res = new CollectedResponse();
    await installer.handleCallback(nodeRequestOf(c.req.raw), res.asNode(), {
      successAsync: async (installation, _options, _req, nodeRes) => {
        await provisionInstall(deps, installation as Installation);
        write(nodeRes as unknown as CollectedResponse, installedPage(installation as Installation));
      },
      failureAsync: async (error, _options, _req, nodeRes) => {
        deps.rt.logger.warn({ code: error.code, err: error }, "slack install failed");
        write(nodeRes as unknown as CollectedResponse, failedPage(error));
      },
    });
    return res.toResponse();
  });

  return {
    installer,
    installationStore,
    tokenFor: slackTokenLookup(deps.rt, deps.secretKey),
    authorize: installer.authorize.bind(installer),
    routes,
  };
}

/** The token lookup the Slack sender and Bolt use in OAuth mode: the workspace's stored bot token. */
export function slackTokenLookup(rt: Pick<Runtime, "db">, secretKey: string): TokenLookup {
  return async (workspace) =>
    (await findSlackInstallationOfWorkspace(rt.db, workspace, secretKey))?.botToken ?? null;
}

/**
 * OAuth as the configuration asks for it: null unless SLACK_CLIENT_ID (with its companions and
 * CLG_SECRET_KEY, which the configuration already required) is set. What the composition root calls.
 */
export function slackOAuthFromConfig(
  rt: Runtime,
  opts: { apiUrl: string; env: Record<string, string | undefined> },
): SlackOAuth | null {
  const { slackOAuth, secretKey, publicUrl } = rt.config;
  if (slackOAuth === null || secretKey === null) return null;
  return createSlackOAuth({ rt, oauth: slackOAuth, secretKey, publicUrl, ...opts });
}
