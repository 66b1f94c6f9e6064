import { Activity } from "@microsoft/agents-activity";
import type { RenderedChart } from "../app/chat-sender.ts";
import type { Message } from "../messages/message.ts";
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCardJson, toAdaptiveCard } from "./adaptive-card.ts";

export const ADAPTIVE_CARD = ADAPTIVE_CARD_CONTENT_TYPE;

/** Publishes a message's drawn charts for one workspace; returns the HTTPS URL of each by chart id. */
export type PublishCharts = (
  workspace: string,
  charts: readonly RenderedChart[],
) => Promise<ReadonlyMap<string, string>>;

/** The card a message becomes (the renderer owns the shape; this only hands it the chart URLs). */
export function cardOf(message: Message, chartUrls: ReadonlyMap<string, string>): AdaptiveCardJson {
  return toAdaptiveCard(message, { chartUrl: (id) => chartUrls.get(id) ?? null });
}

/** A message activity carrying the message as one Adaptive Card, with its summary as the notification text. */
export function cardActivity(
  message: Message,
  chartUrls: ReadonlyMap<string, string>,
  extra: object = {},
): Activity {
  return Activity.fromObject({
    type: "message",
    summary: message.summary,
    attachments: [{ contentType: ADAPTIVE_CARD, content: cardOf(message, chartUrls) }],
    ...extra,
  });
}

/** What an invoke answers with (the adapter turns it into the HTTP response). */
export function invokeResponse(status: number, body?: unknown): Activity {
  return Activity.fromObject({
    type: "invokeResponse",
    value: body === undefined ? { status } : { status, body },
  });
}
