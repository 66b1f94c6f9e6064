import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STATUSES } from "../../src/kpi/status.ts";
import type { Block, KpiRow, Message } from "../../src/messages/message.ts";
import { cardBytes, toAdaptiveCard } from "../../src/teams/adaptive-card.ts";
import { TEAMS_CARD_LIMITS } from "../../src/teams/card-limits.ts";
import { elementsOf, parseCard, UNKNOWN_ELEMENT } from "./card-validation.ts";

/** Text as hostile as it gets: Markdown marks, HTML, control characters, long runs, any script. */
const hostile = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.constantFrom(
    "**",
    "[x](javascript:alert(1))",
    "<script>alert(1)</script>",
    "# h",
    "- a\n- b",
    "\\",
    "`",
    "\u0000",
  ),
  fc.string({ maxLength: 6_000 }),
);

const row: fc.Arbitrary<KpiRow> = fc.record({
  slug: fc.string({ maxLength: 20 }),
  name: hostile,
  stage: fc.constant("activation" as const),
  window: fc.constantFrom("7d", "28d", "month"),
  value: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
  formatted: hostile,
  status: fc.constantFrom(...STATUSES),
  rated: fc.boolean(),
  delta: fc.option(hostile),
  deltaGood: fc.option(fc.boolean()),
  target: fc.option(hostile),
  note: fc.option(hostile),
});

const day = fc
  .integer({ min: 0, max: 700 })
  .map((i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10));

const block: fc.Arbitrary<Block> = fc.oneof(
  hostile.map((text) => ({ type: "header" as const, text })),
  hostile.map((text) => ({ type: "text" as const, text })),
  hostile.map((text) => ({ type: "context" as const, text })),
  fc.array(row, { maxLength: 60 }).map((rows) => ({ type: "kpis" as const, rows })),
  fc
    .array(fc.record({ label: hostile, value: hostile }), { maxLength: 40 })
    .map((fields) => ({ type: "fields" as const, fields })),
  fc
    .array(fc.record({ label: hostile, command: hostile }), { maxLength: 9 })
    .map((buttons) => ({ type: "actions" as const, buttons })),
  fc.constant({ type: "divider" as const }),
  fc
    .record({
      title: fc.string({ maxLength: 200 }),
      points: fc.array(
        fc.record({ day, value: fc.option(fc.double({ min: -1e9, max: 1e9, noNaN: true })) }),
        {
          maxLength: 800,
        },
      ),
      alt: hostile,
    })
    .map(({ title, points, alt }) => ({
      type: "chart" as const,
      chart: {
        altText: alt,
        request: { template: "trend" as const, title, unit: "%", points, status: "red" as const },
      },
    })),
);

const message: fc.Arbitrary<Message> = fc.record({
  summary: hostile,
  blocks: fc.array(block, { maxLength: 25 }),
  tone: fc.constantFrom(undefined, "info" as const, "warning" as const, "error" as const),
});

describe("any message becomes a card Teams accepts", () => {
  it("valid for the reference parser, under 100 KB, with no raw link or unpaired markup from the text", () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, withUrl) => {
        const card = toAdaptiveCard(
          m,
          withUrl ? { chartUrl: (id) => `https://h.example/charts/${id}.png` } : {},
        );
        expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.maxBytes);
        const unexpected = parseCard(card).events.filter(
          (e) => !e.startsWith(`${UNKNOWN_ELEMENT}: Unknown element type "Chart.Line"`),
        );
        expect(unexpected).toEqual([]);
        for (const e of elementsOf(card.body)) {
          if (e.type === "TextBlock") expect(String(e.text)).not.toMatch(/(^|[^\\])\[[^\]]*\]\(/);
        }
      }),
      { numRuns: 150, seed: 20261130 },
    );
  });
});
