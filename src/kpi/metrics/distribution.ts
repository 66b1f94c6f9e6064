import { finite } from "./guard.ts";

/** A histogram: score (as a string key, e.g. "9") -> number of responses. */
export type Distribution = Readonly<Record<string, number>>;

export interface ScoreScale {
  min: number;
  max: number;
}

/**
 * Response counts by score, keeping only whole-number scores inside the scale (answers outside it are
 * data errors and are ignored, not clamped). Returns null when a count is negative or not finite.
 */
export function countsInScale(dist: Distribution, scale: ScoreScale): Map<number, number> | null {
  const out = new Map<number, number>();
  for (const [key, count] of Object.entries(dist)) {
    if (!finite(count) || count < 0) return null;
    const score = Number(key);
    if (!Number.isInteger(score) || score < scale.min || score > scale.max) continue;
    out.set(score, (out.get(score) ?? 0) + count);
  }
  return out;
}

/**
 * Share (percent) of responses with score in [from, to]; null when there are no responses.
 */
export function shareBetween(dist: Distribution, scale: ScoreScale, from: number, to: number): number | null {
  const counts = countsInScale(dist, scale);
  if (!counts) return null;
  let total = 0;
  let hit = 0;
  for (const [score, n] of counts) {
    total += n;
    if (score >= from && score <= to) hit += n;
  }
  return total === 0 ? null : (hit / total) * 100;
}

/** Mean score of a histogram within the scale; null when there are no responses. */
export function distributionMean(dist: Distribution, scale: ScoreScale): number | null {
  const counts = countsInScale(dist, scale);
  if (!counts) return null;
  let total = 0;
  let sum = 0;
  for (const [score, n] of counts) {
    total += n;
    sum += score * n;
  }
  return total === 0 ? null : sum / total;
}
