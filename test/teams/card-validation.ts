import { createRequire } from "node:module";
import { z } from "zod";
import type { AdaptiveCardJson } from "../../src/teams/adaptive-card.ts";

/** The `adaptivecards` library (3.0.6 loads in Node only from its bundled dist file). */
// biome-ignore lint/suspicious/noExplicitAny: the bundle's types do not load in Node.
const AC: any = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js");

export interface Parsed {
  /** What the library reported while parsing, as "<event code>: <message>". */
  events: string[];
  /** The card as the library read it back (fallbacks applied where an element is unknown to it). */
  json: { body?: unknown[]; actions?: unknown[] };
}

/**
 * Parses a card the way a host built on the reference library does. The library knows the standard
 * elements of 1.5 but not Teams' `Chart.*` elements: those report "unknown element" and are replaced by
 * their fallback, which is exactly what a client without native charts shows.
 */
export function parseCard(card: AdaptiveCardJson): Parsed {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  parsed.parse(JSON.parse(JSON.stringify(card)), context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    events.push(`${e.event}: ${e.message}`);
  }
  const validation = parsed.validateProperties();
  for (const e of validation.validationEvents) events.push(`${e.event}: ${e.message}`);
  return { events, json: parsed.toJSON() };
}

/** The event code the library gives an unknown element type (ValidationEvent.UnknownElementType). */
export const UNKNOWN_ELEMENT = AC.ValidationEvent.UnknownElementType as number;

/** Every object in a card with a `type`, depth first. */
export function elementsOf(value: unknown): { type: string; [k: string]: unknown }[] {
  if (Array.isArray(value)) return value.flatMap(elementsOf);
  if (value === null || typeof value !== "object") return [];
  const record = value as Record<string, unknown>;
  const self = typeof record.type === "string" ? [record as { type: string }] : [];
  return [...self, ...Object.values(record).flatMap(elementsOf)];
}

/** Colour names Teams documents for chart elements (semantic and categorical). */
const CHART_COLORS = z.enum([
  "good",
  "warning",
  "attention",
  "neutral",
  "categoricalRed",
  "categoricalPurple",
  "categoricalLavender",
  "categoricalBlue",
  "categoricalLightBlue",
  "categoricalTeal",
  "categoricalGreen",
  "categoricalLime",
  "categoricalMarigold",
]);
const STANDARD_FALLBACK = z.object({ type: z.enum(["Image", "TextBlock"]) }).passthrough();
const common = {
  title: z.string().min(1),
  xAxisTitle: z.string(),
  yAxisTitle: z.string(),
  fallback: STANDARD_FALLBACK,
};

/**
 * The documented shape of the Teams chart elements this app writes (Teams' chart reference: required
 * `data`, `x`/`y` points, colour names), strictly: an unknown property fails.
 */
export const NATIVE_CHART = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("Chart.Line"),
      ...common,
      data: z
        .array(
          z
            .object({
              legend: z.string(),
              color: CHART_COLORS,
              values: z.array(z.object({ x: z.string(), y: z.number() }).strict()).min(1),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
  z
    .object({
      type: z.enum(["Chart.HorizontalBar", "Chart.VerticalBar"]),
      ...common,
      showBarValues: z.boolean().optional(),
      data: z.array(z.object({ x: z.string(), y: z.number(), color: CHART_COLORS }).strict()).min(1),
    })
    .strict(),
]);
