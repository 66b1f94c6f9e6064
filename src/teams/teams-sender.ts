import type { ConversationReference } from "@microsoft/agents-activity";
import { type CloudAdapter, type ConnectorClient, HttpError } from "@microsoft/agents-hosting";
import type { PublishDeps } from "../app/chart-images.ts";
import { type ChatSender, TEAMS_CONVERSATION_LIMITS } from "../app/chat-sender.ts";
import { DeliveryError, type DeliveryFailureReason } from "../app/delivery-error.ts";
import type { Db } from "../db/db.ts";
import { getTeamsConversation } from "../db/teams-conversations-repository.ts";
import { retryAfterMs } from "../retry-timing.ts";
import { cardAttachment } from "./card-attachment.ts";
import { cardActivity } from "./message-activity.ts";
import { isTrustedServiceUrl, type ServiceUrlPolicy } from "./trusted-service-url.ts";

export interface TeamsSenderDeps {
  db: Db;
  adapter: CloudAdapter;
  /** The bot's client id; null in local mode (anonymous connector calls). */
  clientId: string | null;
  serviceUrls: ServiceUrlPolicy;
  now: () => Date;
  /** Where a card's charts are published (PUBLIC_URL, the chart image store). */
  charts: PublishDeps;
}

/** Teams throttles (429) and asks for a retry after a conflicting edit (412) or a gateway hiccup (502, 504). */
function reasonForStatus(status: number): DeliveryFailureReason {
  if (status === 429) return "rate_limited";
  if (status === 412 || status === 408 || status >= 500) return "transient";
  if (status === 401) return "auth_revoked";
  if (status === 403 || status === 404) return "channel_gone";
  return "bad_message";
}

/** The connector's answer as a DeliveryError that keeps it as the cause (Retry-After in seconds or a date). */
export function deliveryErrorOf(error: unknown, now: Date): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (!(error instanceof HttpError))
    return new DeliveryError("The Bot Connector did not answer.", { reason: "transient", cause: error });
  const retryAfter = retryAfterMs(error.response?.headers?.get?.("retry-after"), now.getTime()) ?? 0;
  const code = (error.response?.data as { error?: { code?: unknown } } | undefined)?.error?.code;
  return new DeliveryError(`The Bot Connector answered ${error.status}.`, {
    reason: reasonForStatus(error.status),
    ...(retryAfter > 0 ? { retryAfterMs: retryAfter } : {}),
    ...(typeof code === "string" ? { platformCode: code } : { platformCode: String(error.status) }),
    cause: error,
  });
}

/**
 * Teams' ChatSender: posts, thread replies and in-place updates go through the CloudAdapter's
 * `continueConversation` with the conversation reference stored when the bot was added. A conversation
 * the bot left, or never joined, is `channel_gone` (the outbox pauses its subscriptions and tells admins).
 */
export function createTeamsSender(deps: TeamsSenderDeps): ChatSender {
  const identity = deps.clientId ?? {};
  return {
    platform: "teams",
    limits: TEAMS_CONVERSATION_LIMITS,
    async send(destination, message, charts, ref) {
      const row = await getTeamsConversation(deps.db, destination.workspace, destination.channel);
      if (!row || row.paused_at)
        throw new DeliveryError("The bot is not in this Teams conversation.", {
          reason: "channel_gone",
          platformCode: row ? "BotNotInConversationRoster" : "ConversationNotFound",
        });
      const reference = row.reference as unknown as ConversationReference;
      if (!isTrustedServiceUrl(reference.serviceUrl, deps.serviceUrls))
        throw new DeliveryError("The stored serviceUrl is not one this bot trusts.", {
          reason: "channel_gone",
        });
      const kind = ref?.kind ?? "post";
      const conversationId = row.conversation_id;
      const card = await cardAttachment(deps.charts, destination.workspace, message, charts);
      let messageId = "";
      // The connector's answer is kept and thrown after the turn, so the adapter's turn-error handler
      // does not log an expected refusal (a 429, a removed bot) as a failure of the bot.
      let failure: unknown = null;
      try {
        await deps.adapter.continueConversation(identity, reference, async (ctx) => {
          const connector = ctx.turnState.get<ConnectorClient>(deps.adapter.ConnectorClientKey);
          const activity = cardActivity(card, {
            channelId: reference.channelId,
            conversation: reference.conversation,
            from: reference.agent,
            serviceUrl: reference.serviceUrl,
          });
          try {
            if (kind === "update" && ref?.parentMessageId) {
              activity.id = ref.parentMessageId;
              await connector.updateActivity(conversationId, ref.parentMessageId, activity);
              messageId = ref.parentMessageId;
            } else if (kind === "reply" && ref?.parentMessageId) {
              activity.replyToId = ref.parentMessageId;
              const sent = await connector.replyToActivity(conversationId, ref.parentMessageId, activity);
              messageId = sent.id ?? "";
            } else {
              messageId = (await connector.sendToConversation(conversationId, activity)).id ?? "";
            }
          } catch (error) {
            failure = error;
          }
        });
      } catch (error) {
        failure = error;
      }
      if (failure !== null) throw deliveryErrorOf(failure, deps.now());
      if (!messageId)
        throw new DeliveryError("The Bot Connector returned no activity id.", { reason: "transient" });
      return { messageId };
    },
  };
}
