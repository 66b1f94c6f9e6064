/**
 * Slack's Block Kit limits for messages, in one table the renderer reads (docs.slack.dev, "Block Kit"
 * reference pages). Lengths are characters; the renderer measures the text after escaping, as Slack does.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message, and in a view (the App Home tab, a modal). */
  blocksPerMessage: 50,
  blocksPerView: 100,
  /** A section's `text`. */
  sectionText: 3_000,
  /** Fields in one section, and the length of each. */
  sectionFields: 10,
  fieldText: 2_000,
  /** A header block's plain_text. */
  headerText: 150,
  /** Elements of a context block, and the length of each text element. */
  contextElements: 10,
  contextText: 2_000,
  /** Buttons (elements) in one actions block. */
  actionsElements: 25,
  /** A button's label (plain_text) and value. */
  buttonText: 75,
  buttonValue: 2_000,
  /** `action_id` and `block_id`. */
  actionId: 255,
  blockId: 255,
  /** An image block's alt_text and title. */
  imageAltText: 2_000,
  imageTitle: 2_000,
  /**
   * The top-level `text` of a message: the notification and the fallback. Slack truncates past 40,000
   * and advises staying under 4,000.
   */
  fallbackText: 4_000,
} as const;

export type SlackLimits = typeof SLACK_LIMITS;
