import type { App, Context } from "@slack/bolt";
import type { InstallationQuery, InstallationStore } from "@slack/oauth";
import { type PausePlatformOutcome, pausePlatformInWorkspace } from "../app/pause-platform.ts";
import type { Runtime } from "../app/runtime.ts";
import { deleteSlackInstallationsOfWorkspace } from "../db/slack-installations-repository.ts";
import { slackWorkspaceId } from "./workspace-id.ts";

export interface SlackUninstallOutcome extends PausePlatformOutcome {
  installationsDeleted: number;
}

/**
 * `app_uninstalled`, or `tokens_revoked` naming the bot's token: the workspace's stored tokens are deleted
 * and every Slack subscription of the workspace is paused (its queued messages failed), as the outbox does
 * for a channel that answers `token_revoked`, so nothing retries against a dead install. Installing the app
 * again resumes them. Safe to run twice (Slack retries events).
 */
export async function onSlackUninstalled(
  rt: Pick<Runtime, "db" | "clock" | "logger">,
  workspace: string,
): Promise<SlackUninstallOutcome> {
  const installationsDeleted = await deleteSlackInstallationsOfWorkspace(rt.db, workspace);
  const paused = await pausePlatformInWorkspace(rt.db, {
    workspace,
    platform: "slack",
    reason: "auth_revoked",
    error: "The Slack app was uninstalled or its token revoked.",
    at: rt.clock.now(),
  });
  rt.logger.info({ workspace, installationsDeleted, ...paused }, "slack app uninstalled");
  return { installationsDeleted, ...paused };
}

/**
 * Bolt listeners for the two events that end an install: `app_uninstalled`, and `tokens_revoked` when it
 * names the bot's token (a revoked user token only drops that user's token from the stored install).
 * Bolt delivers both without authorizing them, since the token is already gone.
 */
export function listenForUninstall(
  app: App,
  rt: Pick<Runtime, "db" | "clock" | "logger">,
  store?: Pick<InstallationStore, "deleteInstallation">,
): void {
  const workspaceOf = (context: Context) =>
    slackWorkspaceId({
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall,
    });
  app.event("app_uninstalled", async ({ context }) => {
    const workspace = workspaceOf(context);
    if (workspace) await onSlackUninstalled(rt, workspace);
  });
  app.event("tokens_revoked", async ({ event, context }) => {
    const workspace = workspaceOf(context);
    if (!workspace) return;
    if ((event.tokens.bot ?? []).length > 0) {
      await onSlackUninstalled(rt, workspace);
      return;
    }
    for (const userId of event.tokens.oauth ?? []) {
      await store?.deleteInstallation?.({
        teamId: context.isEnterpriseInstall ? undefined : context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall,
        userId,
      } as InstallationQuery<boolean>);
    }
  });
}
