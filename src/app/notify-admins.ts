import type { Platform } from "../catalog/catalog-schema.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/db.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import { STATUS_SYMBOL } from "../kpi/status.ts";
import { dayInZone } from "../kpi/windows.ts";
import type { Destination } from "./chat-sender.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { PollOutcome } from "./poll-source.ts";

/**
 * Where a workspace's admins are told things: the admin channel the install (or the catalog) set, on that
 * workspace's platform. The deployment's CLG_ADMIN_CHANNEL is the default for the local workspace only;
 * another workspace without one has nowhere to be told (the notice is logged instead).
 */
export async function adminDestinationOf(
  db: Db,
  config: Pick<Config, "workspace" | "adminChannel">,
  workspace: string,
): Promise<Destination | null> {
  const row = await getWorkspace(db, workspace);
  if (row?.admin_channel)
    return { workspace, platform: (row.admin_platform ?? "local") as Platform, channel: row.admin_channel };
  if (workspace === config.workspace) return { workspace, platform: "local", channel: config.adminChannel };
  return null;
}

interface NotifyDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  adminDestination?: (workspace: string) => Promise<Destination | null>;
}

async function tellAdmins(
  deps: NotifyDeps,
  workspace: string,
  key: string,
  message: { summary: string; tone: string; blocks: unknown[] },
): Promise<boolean> {
  const to = deps.adminDestination ? await deps.adminDestination(workspace) : null;
  if (!to) {
    deps.logger.warn(
      { workspace, notice: message.summary },
      "no admin channel for this workspace; notice logged only",
    );
    return false;
  }
  const { created } = await enqueueDelivery(deps.db, {
    idempotencyKey: key,
    workspace,
    platform: to.platform,
    channel: to.channel,
    payload: { message },
    now: deps.clock.now(),
  });
  return created;
}

/**
 * Tells the admins about a failing source once per outage (the first failure in a row); the KPIs keep
 * their last good data meanwhile and show the source as failing.
 */
export async function notifyAdminsOfFailures(
  deps: NotifyDeps,
  workspace: string,
  outcomes: readonly PollOutcome[],
): Promise<number> {
  let queued = 0;
  for (const o of outcomes) {
    if (o.ok || !o.notifyAdmins) continue;
    const at = deps.clock.now();
    const text = `Source "${o.source}" failed: ${o.error}`;
    const created = await tellAdmins(
      deps,
      workspace,
      `source-failed:${workspace}:${o.source}:${at.toISOString()}`,
      {
        summary: text,
        tone: "error",
        blocks: [
          { type: "header", text: `${STATUS_SYMBOL.error} Source ${o.source} is failing` },
          { type: "text", text: o.error },
          {
            type: "text",
            text: "Its KPIs keep their last good data and show the status `source error` until a poll succeeds. You will not be told again during this outage.",
          },
          { type: "actions", buttons: [{ label: "Sources", command: "sources" }] },
        ],
      },
    );
    if (created) queued++;
  }
  return queued;
}

/**
 * Tells the admins, once per channel and day, that the platform refused a channel for good (archived, bot
 * removed, token revoked); its subscriptions are paused until someone fixes and resumes them.
 */
export async function notifyAdminsOfUnreachableChannel(
  deps: NotifyDeps,
  channel: Destination,
  failure: { reason: string; error: string },
): Promise<boolean> {
  const day = dayInZone(deps.clock.now(), "UTC");
  const text = `Messages to ${channel.platform} channel ${channel.channel} cannot be delivered (${failure.reason}).`;
  return tellAdmins(
    deps,
    channel.workspace,
    `channel-unreachable:${channel.workspace}:${channel.platform}:${channel.channel}:${day}`,
    {
      summary: text,
      tone: "error",
      blocks: [
        { type: "header", text: `${STATUS_SYMBOL.error} Channel ${channel.channel} cannot be reached` },
        { type: "text", text: `${failure.error} (${failure.reason})` },
        {
          type: "text",
          text: "Its subscriptions are paused and its queued messages dropped. Invite the bot back (or subscribe another channel), then subscribe again.",
        },
      ],
    },
  );
}
