import type { Db } from "../db/db.ts";
import {
  failChannelBacklog,
  listPendingChannels,
  pauseChannelSubscriptions,
} from "../db/deliveries-repository.ts";
import { listSubscriptions, resumePausedSubscriptions } from "../db/subscriptions-repository.ts";
import type { DeliveryFailureReason } from "./delivery-error.ts";

export interface PausePlatformOutcome {
  channels: number;
  subscriptionsPaused: number;
  deliveriesFailed: number;
}

/**
 * A workspace's install on one platform is gone (the app was uninstalled, its tokens revoked): every
 * subscription of every channel there is paused and what waits in the outbox for those channels is
 * failed, the same way the outbox treats a channel that answers `auth_revoked`, so nothing retries
 * against a dead token. `resumePlatformInWorkspace` undoes it when the app is installed again.
 */
export async function pausePlatformInWorkspace(
  db: Db,
  target: { workspace: string; platform: string; reason: DeliveryFailureReason; error: string; at: Date },
): Promise<PausePlatformOutcome> {
  const { workspace, platform, reason, error, at } = target;
  const subscribed = await listSubscriptions(db, workspace, { platform });
  const pending = await listPendingChannels(db, workspace, platform);
  const channels = new Set([...subscribed.map((s) => s.channel), ...pending]);
  let subscriptionsPaused = 0;
  let deliveriesFailed = 0;
  for (const channel of channels) {
    subscriptionsPaused += await pauseChannelSubscriptions(db, { workspace, platform, channel, reason, at });
    deliveriesFailed += await failChannelBacklog(db, { workspace, platform, channel, reason, error });
  }
  return { channels: channels.size, subscriptionsPaused, deliveriesFailed };
}

/**
 * The platform is installed again: subscriptions paused because the install was gone (`auth_revoked`) run
 * again. Those paused for another reason (a channel archived or the bot removed from it) stay paused.
 */
export async function resumePlatformInWorkspace(
  db: Db,
  target: { workspace: string; platform: string },
): Promise<number> {
  return resumePausedSubscriptions(db, { ...target, reason: "auth_revoked" });
}
