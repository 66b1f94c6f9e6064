import type { WebClient } from "@slack/web-api";
import type { Asker } from "../app/answers/answer-context.ts";
import { bootstrapWorkspace } from "../app/bootstrap.ts";
import type { Runtime } from "../app/runtime.ts";
import { isAdminIn } from "../app/workspace-admins.ts";
import { DEFAULT_LOCALE } from "../app/workspace-catalog.ts";
import type { SlackConfig } from "../config/config.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import type { SlackAdminCheck } from "./slack-admins.ts";
import type { ClientPool, TokenLookup } from "./web-client.ts";
import type { WorkLimit } from "./work-limit.ts";

/** What the Slack adapter's listeners share. */
export interface SlackDeps {
  rt: Runtime;
  slack: SlackConfig;
  tokenFor: TokenLookup;
  clients: ClientPool;
  fetch: typeof fetch;
  adminCheck: SlackAdminCheck;
  /** Provisions a workspace the first time one of its people writes (default catalog, admin channel). */
  provision: (workspace: string, name?: string) => Promise<void>;
  /** Answers run a few at a time, so acks of new requests never wait behind many (see work-limit.ts). */
  limit: WorkLimit;
}

/**
 * Provisions each Slack workspace once per process: one that is not in the database yet gets the default
 * catalog through the shared bootstrap; its admins hear about failures in a DM of the first SLACK_ADMINS
 * user (an install sets its own admin channel).
 */
export function createProvisioner(rt: Runtime, slack: SlackConfig, env: Record<string, string | undefined>) {
  const done = new Map<string, Promise<void>>();
  return (workspace: string, name?: string): Promise<void> => {
    let pending = done.get(workspace);
    if (!pending) {
      pending = (async () => {
        if (await getWorkspace(rt.db, workspace)) return;
        const admin = slack.admins[0];
        await bootstrapWorkspace(rt.pollDeps, rt.config, env, {
          id: workspace,
          ...(name ? { name } : {}),
          ...(admin ? { adminPlatform: "slack", adminChannel: admin } : {}),
        });
      })();
      pending.catch(() => done.delete(workspace));
      done.set(workspace, pending);
    }
    return pending;
  };
}

/** Who asked, in the application's terms: Slack admins and owners, SLACK_ADMINS, and the workspace's list. */
export async function slackAsker(
  deps: SlackDeps,
  client: WebClient,
  at: { workspace: string; channel: string; user: string },
): Promise<Asker> {
  const platformSaysAdmin =
    deps.slack.admins.includes(at.user) || (await deps.adminCheck(client, at.workspace, at.user));
  // One read of the workspace row answers both the workspace's admin list and its locale.
  const row = await getWorkspace(deps.rt.db, at.workspace);
  return {
    workspace: at.workspace,
    platform: "slack",
    channel: at.channel,
    user: at.user,
    isAdmin: isAdminIn(row, deps.rt.config, at.workspace, at.user, platformSaysAdmin),
    locale: row?.locale ?? DEFAULT_LOCALE,
  };
}

/** `<@U123> activation 28d` -> `activation 28d`: the mention that addressed the bot is not part of the command. */
export function stripMention(text: string): string {
  return text.replace(/^\s*<@[A-Z0-9]+(\|[^>]*)?>\s*/i, "").trim();
}
