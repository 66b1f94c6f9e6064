import { distance } from "fastest-levenshtein";

export interface Candidate<T> {
  /** What the input is compared with (already normalised). */
  key: string;
  /** What to offer the user. */
  label: string;
  /** Candidates with the same group count once (one KPI reached by its slug, name and aliases). */
  group: T;
}

/** Past this length an input is not a typo of any of our words, and comparing it costs time. */
const MAX_INPUT = 64;

/**
 * The closest candidates to `input` by edit distance, best first, one per group. A candidate that starts
 * with or contains the input (at least three letters) also counts as close: "retent" -> "retention".
 * The cutoff grows with the input's length so short words do not match everything, and only matches
 * about as close as the best one are kept.
 */
export function closest<T>(input: string, candidates: readonly Candidate<T>[], limit = 3): string[] {
  const needle = input.trim().toLowerCase();
  if (needle.length === 0 || needle.length > MAX_INPUT) return [];
  const cutoff = Math.max(2, Math.floor(needle.length / 3));
  const best = new Map<T, { label: string; score: number }>();
  for (const c of candidates) {
    const contains = needle.length >= 3 && c.key.includes(needle);
    const score = contains ? 0.5 : distance(needle, c.key);
    if (!contains && score > cutoff) continue;
    const seen = best.get(c.group);
    if (seen === undefined || score < seen.score) best.set(c.group, { label: c.label, score });
  }
  const ranked = [...best.values()].sort((a, b) => a.score - b.score || a.label.localeCompare(b.label));
  // Far worse matches than the best only add noise: "berln" -> "Berlin", not also "Dublin".
  const top = ranked[0]?.score ?? 0;
  return ranked
    .filter((r) => r.score <= top + 1)
    .slice(0, limit)
    .map((b) => b.label);
}

/** The smallest edit distance from `input` to any candidate key, for choosing which error fits best. */
export function bestDistance<T>(input: string, candidates: readonly Candidate<T>[]): number {
  let min = Number.POSITIVE_INFINITY;
  for (const c of candidates) min = Math.min(min, distance(input.toLowerCase(), c.key));
  return min;
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function quotedList(words: readonly string[], conjunction = "or"): string {
  const q = words.map((w) => `"${w}"`);
  if (q.length <= 1) return q.join("");
  return `${q.slice(0, -1).join(", ")} ${conjunction} ${q[q.length - 1]}`;
}

/** " Did you mean "x"?" or "" when there is nothing to offer. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length === 0 ? "" : ` Did you mean ${quotedList(suggestions)}?`;
}
