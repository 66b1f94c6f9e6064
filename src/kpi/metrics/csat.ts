import { type Distribution, shareBetween } from "./distribution.ts";

export interface CsatOptions {
  /** Lowest score that counts as satisfied: 4 on the usual 1-5 scale. */
  positiveMin?: number;
  scale?: { min: number; max: number };
}

/**
 * Customer satisfaction score: satisfied responses (4 or 5 on 1-5 by default) / all responses x 100.
 * Null with no responses; answers outside the scale are ignored.
 */
export function csat(dist: Distribution, options: CsatOptions = {}): number | null {
  const scale = options.scale ?? { min: 1, max: 5 };
  const positiveMin = options.positiveMin ?? scale.max - 1;
  return shareBetween(dist, scale, positiveMin, scale.max);
}
