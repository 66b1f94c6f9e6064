import type { Activity } from "@microsoft/agents-activity";
import { bootstrapWorkspace } from "../app/bootstrap.ts";
import type { Runtime } from "../app/runtime.ts";
import { pauseChannelSubscriptions } from "../db/deliveries-repository.ts";
import {
  pauseTeamsConversations,
  resumeTeamsSubscriptions,
  saveTeamsConversation,
} from "../db/teams-conversations-repository.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import { conversationIdOf, conversationTypeOf, teamIdOf } from "./activity-facts.ts";

/** Why a removal paused subscriptions; adding the bot back resumes exactly those. */
export const REMOVED_REASON = "the bot was removed from this conversation";

/** Stores (or refreshes) where this conversation is, so digests and alerts can be posted to it later. */
export async function rememberConversation(
  rt: Runtime,
  workspace: string,
  tenantId: string,
  activity: Activity,
): Promise<void> {
  const reference = activity.getConversationReference();
  // A proactive post starts a new message; the id of the activity that brought the reference is not kept.
  const { activityId: _ignored, ...stored } = reference;
  const conversationId = conversationIdOf(activity);
  if (stored.conversation) stored.conversation = { ...stored.conversation, id: conversationId };
  await saveTeamsConversation(rt.db, {
    workspace,
    conversationId,
    tenantId,
    conversationType: conversationTypeOf(activity),
    teamId: teamIdOf(activity),
    reference: JSON.parse(JSON.stringify(stored)) as Record<string, unknown>,
    at: rt.clock.now(),
  });
}

/**
 * The bot was added to a team, channel or chat (or the app installed): remember the conversation and
 * provision the tenant's workspace (the default catalog when it has none). The first conversation becomes
 * the admins' channel, where failures are told; a later install keeps the one already chosen. Coming back
 * to a conversation resumes the subscriptions its removal paused.
 */
export async function installIn(
  rt: Runtime,
  workspace: string,
  tenantId: string,
  activity: Activity,
): Promise<void> {
  const existing = await getWorkspace(rt.db, workspace);
  const data = activity.channelData as { team?: { name?: unknown } } | undefined;
  const name = typeof data?.team?.name === "string" ? data.team.name : undefined;
  await bootstrapWorkspace(
    rt.pollDeps,
    rt.config,
    // A tenant's catalog never reads the deployment's own secrets.
    {},
    {
      id: workspace,
      ...(name && !existing ? { name } : {}),
      ...(activity.locale ? { locale: activity.locale } : {}),
      ...(existing?.admin_channel
        ? {}
        : { adminPlatform: "teams", adminChannel: conversationIdOf(activity) }),
    },
  );
  await rememberConversation(rt, workspace, tenantId, activity);
  await resumeTeamsSubscriptions(rt.db, workspace, [conversationIdOf(activity)], REMOVED_REASON);
}

/** The bot was removed (or the app uninstalled): pause the conversation(s) and their subscriptions. */
export async function removeFrom(rt: Runtime, workspace: string, activity: Activity): Promise<number> {
  const at = rt.clock.now();
  const conversationId = conversationIdOf(activity);
  const teamId = teamIdOf(activity);
  const paused = await pauseTeamsConversations(rt.db, workspace, { conversationId, teamId }, at);
  const channels = new Set([conversationId, ...paused]);
  let subscriptions = 0;
  for (const channel of channels)
    subscriptions += await pauseChannelSubscriptions(rt.db, {
      workspace,
      platform: "teams",
      channel,
      reason: REMOVED_REASON,
      at,
    });
  rt.logger.info({ workspace, conversations: channels.size, subscriptions }, "Teams: bot removed; paused");
  return subscriptions;
}
