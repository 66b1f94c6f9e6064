import { Activity } from "@microsoft/agents-activity";
import type { CardAttachment } from "./card-attachment.ts";

/** A message activity carrying one card, with the card's fallback text as the notification summary. */
export function cardActivity(card: CardAttachment, extra: object = {}): Activity {
  return Activity.fromObject({
    type: "message",
    summary: card.content.fallbackText,
    attachments: [card],
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
