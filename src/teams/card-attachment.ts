import { type PublishDeps, publishChartImages } from "../app/chart-images.ts";
import type { RenderedChart } from "../app/chat-sender.ts";
import type { Runtime } from "../app/runtime.ts";
import type { Message } from "../messages/message.ts";
import { type AdaptiveCardJson, toAdaptiveCard } from "./adaptive-card.ts";
import { ADAPTIVE_CARD_CONTENT_TYPE } from "./card-types.ts";

export interface CardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: AdaptiveCardJson;
}

/** What publishing chart images needs, from the runtime. */
export function publishDepsOf(rt: Pick<Runtime, "chartImages" | "clock" | "config">): PublishDeps {
  return {
    images: rt.chartImages,
    clock: rt.clock,
    publicUrl: rt.config.publicUrl,
    ttlMs: rt.config.chartImageTtlMs,
  };
}

/**
 * A message as the attachment of a Teams activity: its drawn charts are published for the workspace
 * (at unguessable, expiring URLs under PUBLIC_URL) and the card points at them.
 */
export async function cardAttachment(
  deps: PublishDeps,
  workspace: string,
  message: Message,
  charts: readonly RenderedChart[],
): Promise<CardAttachment> {
  const urls = await publishChartImages(deps, workspace, charts);
  return {
    contentType: ADAPTIVE_CARD_CONTENT_TYPE,
    content: toAdaptiveCard(message, { chartUrl: (id) => urls.get(id) ?? null }),
  };
}
