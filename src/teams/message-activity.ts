import { Activity } from "@microsoft/agents-activity";
import type { RenderedChart } from "../app/chat-sender.ts";
import type { Message } from "../messages/message.ts";
import { toAdaptiveCard } from "./card-stand-in.ts";

export const ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

/** The card a message becomes (the renderer owns the shape; this only wraps it for the Activity protocol). */
export function cardOf(message: Message, _charts: readonly RenderedChart[]): Record<string, unknown> {
  return toAdaptiveCard(message);
}

/** A message activity carrying the message as one Adaptive Card, with its summary as the notification text. */
export function cardActivity(
  message: Message,
  charts: readonly RenderedChart[],
  extra: object = {},
): Activity {
  return Activity.fromObject({
    type: "message",
    summary: message.summary,
    attachments: [{ contentType: ADAPTIVE_CARD, content: cardOf(message, charts) }],
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
