import { type PausePlatformOutcome, pausePlatformInWorkspace } from "../app/pause-platform.ts";
import type { Runtime } from "../app/runtime.ts";
import { deleteSlackInstallationsOfWorkspace } from "../db/slack-installations-repository.ts";

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
