/**
 * Adaptive Card JSON as this renderer writes it: plain objects, typed loosely on purpose (the card schema
 * is validated in the tests with the `adaptivecards` library, not re-declared here).
 */
export type CardElement = { type: string } & Record<string, unknown>;

export interface AdaptiveCardJson {
  type: "AdaptiveCard";
  $schema: string;
  version: string;
  /** What clients that cannot show the card at all display (and notifications). */
  fallbackText: string;
  body: CardElement[];
  msteams?: { width: "Full" };
}

/** The attachment content type Bot Framework activities carry Adaptive Cards under. */
export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
