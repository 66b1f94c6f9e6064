/**
 * What Teams accepts in a bot-sent Adaptive Card, and the budgets this renderer keeps to. The renderer
 * reads only this table; the tests check the rendered cards against it.
 */
export const TEAMS_CARD_LIMITS = {
  /** Bot-sent cards: Teams renders schema 1.5 at most. */
  version: "1.5",
  /** A whole message (activity) may be at most 100 KB; the card stays well below. */
  maxBytes: 100 * 1024,
  /** What a card should weigh: past this the renderer switches to its compact budget. */
  aimBytes: 40 * 1024,
  /** Images: HTTPS, PNG, at most 1024 x 1024, no redirects. */
  imageMaxPixels: 1024,
} as const;

/** How much of each block one card shows; past these a visible "… N more" line says what was left out. */
export interface CardBudget {
  kpiRows: number;
  facts: number;
  /** Buttons of one action set: hosts show at most 5 (the reference library's default host config). */
  buttons: number;
  /** Characters of one text block. */
  textChars: number;
  /** Points of one line series (evenly thinned, the last point always kept). */
  linePoints: number;
  bars: number;
}

export const FULL_BUDGET: CardBudget = {
  kpiRows: 40,
  facts: 30,
  buttons: 5,
  textChars: 3_000,
  linePoints: 120,
  bars: 40,
};

/** The second try when a card is over `aimBytes`. */
export const COMPACT_BUDGET: CardBudget = {
  kpiRows: 20,
  facts: 15,
  buttons: 5,
  textChars: 1_000,
  linePoints: 40,
  bars: 15,
};
