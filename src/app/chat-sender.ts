import type { Platform } from "../catalog/catalog-schema.ts";
import type { Message } from "../messages/message.ts";

/** Where a message goes: a channel of one workspace (Slack team, Teams tenant, or the local sink). */
export interface Destination {
  workspace: string;
  platform: Platform;
  channel: string;
}

/** A chart already turned into an image (or not, when rendering was over budget: then png is null). */
export interface RenderedChart {
  /** Content hash of template + data; stable, so the same chart is one file and one URL. */
  id: string;
  altText: string;
  png: Buffer | null;
}

/**
 * What kind of send this is: a new post, a reply in the thread of `parentMessageId`, or an update (edit)
 * of that message. `idempotencyKey` is the outbox row's key: a sender that can store it on the platform
 * (Slack message metadata, a Teams activity id) lets `findSent` recognise a message already posted.
 */
export interface SendRef {
  kind: "post" | "reply" | "update";
  parentMessageId?: string;
  idempotencyKey?: string;
}

/** A platform's documented rate limit for one channel: at most `max` sends per `perMs`. */
export interface RateLimit {
  max: number;
  perMs: number;
}

/** Slack: about one message per second per channel (chat.postMessage, "special" tier). */
export const SLACK_CHANNEL_LIMITS: readonly RateLimit[] = [{ max: 1, perMs: 1_000 }];
/** Teams (Bot Framework): 7 per second, 60 per 30 seconds and 1,800 per hour per conversation. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateLimit[] = [
  { max: 7, perMs: 1_000 },
  { max: 60, perMs: 30_000 },
  { max: 1_800, perMs: 3_600_000 },
];

/**
 * The gap the outbox keeps between two sends to one channel: the strictest limit spread evenly, so no
 * window of any limit can be exceeded (bursts are given up for a rule that holds across replicas).
 */
export function paceIntervalMs(limits: readonly RateLimit[]): number {
  return limits.reduce((gap, l) => Math.max(gap, Math.ceil(l.perMs / l.max)), 0);
}

/**
 * The one interface every chat platform implements for outgoing messages. Adapters only translate the
 * message model; they never decide what to say. Failures are thrown as `DeliveryError`.
 */
export interface ChatSender {
  readonly platform: Platform;
  /** Per-channel limits the outbox paces to; empty: no limit. */
  readonly limits: readonly RateLimit[];
  send(
    destination: Destination,
    message: Message,
    charts: readonly RenderedChart[],
    ref?: SendRef,
  ): Promise<{ messageId: string }>;
  /**
   * The message an earlier, unconfirmed attempt posted with this idempotency key, if the platform can tell
   * (used after a worker died between sending and recording). Absent: the platform cannot tell.
   */
  findSent?(destination: Destination, idempotencyKey: string): Promise<{ messageId: string } | null>;
}
