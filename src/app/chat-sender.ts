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
 * The one interface every chat platform implements for outgoing messages. Adapters only translate the
 * message model; they never decide what to say.
 */
export interface ChatSender {
  readonly platform: Platform;
  send(
    destination: Destination,
    message: Message,
    charts: readonly RenderedChart[],
  ): Promise<{ messageId: string }>;
}
