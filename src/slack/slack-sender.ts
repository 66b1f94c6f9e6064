import type { WebClient } from "@slack/web-api";
import { type ChatSender, type Destination, SLACK_CHANNEL_LIMITS } from "../app/chat-sender.ts";
import { DeliveryError } from "../app/delivery-error.ts";
import type { Logger } from "../app/logger.ts";
import { renderForSlack, type SlackMessage } from "./render-message.ts";
import { slackErrorCode, toDeliveryError } from "./slack-errors.ts";
import { uploadCharts } from "./upload-charts.ts";
import type { ClientPool, TokenLookup } from "./web-client.ts";

/** The metadata event type of every message the outbox posts; its payload carries the idempotency key. */
export const DELIVERY_EVENT_TYPE = "clg_delivery";

/** How far back findSent looks in a channel for a message an earlier attempt posted. */
const HISTORY_LIMIT = 20;

/** A Slack message id as the outbox stores it: the channel it is in and its `ts`. */
export function slackMessageId(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

export function parseSlackMessageId(id: string, fallbackChannel: string): { channel: string; ts: string } {
  const at = id.lastIndexOf(":");
  return at === -1
    ? { channel: fallbackChannel, ts: id }
    : { channel: id.slice(0, at), ts: id.slice(at + 1) };
}

const withoutImages = (m: SlackMessage): SlackMessage => ({
  ...m,
  blocks: m.blocks.filter((b) => b.type !== "image"),
});

/**
 * The Slack ChatSender for the outbox: a post, a reply in a thread (`thread_ts`), or an edit
 * (`chat.update`). Charts are uploaded (files.uploadV2) and shown inside the message (image block with
 * `slack_file`). Each post carries the outbox key in its message metadata, so `findSent` can recognise a
 * message an interrupted attempt already posted. Failures come back as DeliveryError (429 with Retry-After;
 * channel gone or token revoked are permanent).
 */
export function createSlackSender(opts: {
  tokenFor: TokenLookup;
  clients: ClientPool;
  logger: Logger;
}): ChatSender {
  const clientFor = async (destination: Destination): Promise<WebClient> => {
    const token = await opts.tokenFor(destination.workspace);
    if (!token)
      throw new DeliveryError(`No Slack token for ${destination.workspace} (not installed, or removed).`, {
        reason: "auth_revoked",
        platformCode: "no_token",
      });
    return opts.clients.forToken(token);
  };

  /** One call; if Slack refuses blocks while images are in them (a file not ready yet), once more without. */
  const call = async <T>(message: SlackMessage, send: (m: SlackMessage) => Promise<T>): Promise<T> => {
    try {
      return await send(message);
    } catch (error) {
      const hasImages = message.blocks.some((b) => b.type === "image");
      if (hasImages && slackErrorCode(error) === "invalid_blocks") {
        opts.logger.warn("slack refused the message's image; sent without it");
        return send(withoutImages(message));
      }
      throw error;
    }
  };

  return {
    platform: "slack",
    limits: SLACK_CHANNEL_LIMITS,
    async send(destination, message, charts, ref) {
      const client = await clientFor(destination);
      const kind = ref?.kind ?? "post";
      try {
        const uploaded = await uploadCharts(client, charts, (err, chart) => {
          // A dead install or a rate limit counts for the whole send; a chart alone can be done without.
          const failure = toDeliveryError(err, "a chart upload");
          if (failure.reason === "rate_limited" || failure.reason === "auth_revoked") throw failure;
          opts.logger.warn({ err, chart: chart.id }, "chart upload failed; the message shows its alt text");
        });
        const [first, ...rest] = renderForSlack(message, uploaded);
        if (!first) throw new DeliveryError("Nothing to send.", { reason: "bad_message" });
        const parent = ref?.parentMessageId
          ? parseSlackMessageId(ref.parentMessageId, destination.channel)
          : null;
        const metadata = ref?.idempotencyKey
          ? { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: ref.idempotencyKey } }
          : undefined;
        if (kind === "update") {
          if (!parent)
            throw new DeliveryError("An update needs the message it edits.", { reason: "bad_message" });
          await call(first, (m) =>
            client.chat.update({
              channel: parent.channel,
              ts: parent.ts,
              text: m.text,
              blocks: m.blocks as never,
              ...(metadata ? { metadata } : {}),
            }),
          );
          return { messageId: slackMessageId(parent.channel, parent.ts) };
        }
        const threadTs = kind === "reply" && parent ? parent.ts : undefined;
        const channel = parent?.channel ?? destination.channel;
        const post = (m: SlackMessage, withMetadata: boolean) =>
          call(m, (x) =>
            client.chat.postMessage({
              channel,
              text: x.text,
              blocks: x.blocks as never,
              unfurl_links: false,
              unfurl_media: false,
              ...(threadTs ? { thread_ts: threadTs } : {}),
              ...(withMetadata && metadata ? { metadata } : {}),
            }),
          );
        const res = await post(first, true);
        if (!res.ts) throw new DeliveryError("Slack posted no message ts.", { reason: "transient" });
        const postedIn = res.channel ?? channel;
        // A long board continues under the first part, in the same place.
        for (const more of rest) await post(more, false);
        return { messageId: slackMessageId(postedIn, res.ts) };
      } catch (error) {
        throw toDeliveryError(error, `the ${kind} to ${destination.channel}`);
      }
    },
    async findSent(destination, idempotencyKey) {
      const client = await clientFor(destination);
      try {
        const res = await client.conversations.history({
          channel: destination.channel,
          limit: HISTORY_LIMIT,
          include_all_metadata: true,
        });
        const found = (res.messages ?? []).find((m) => {
          const meta = (m as { metadata?: { event_type?: string; event_payload?: { key?: unknown } } })
            .metadata;
          return meta?.event_type === DELIVERY_EVENT_TYPE && meta.event_payload?.key === idempotencyKey;
        });
        return found?.ts ? { messageId: slackMessageId(destination.channel, found.ts) } : null;
      } catch (error) {
        throw toDeliveryError(error, `the history of ${destination.channel}`);
      }
    },
  };
}
