/**
 * When to try again, for every caller that retries (the outbox's sends, the connectors' requests): one
 * reading of `Retry-After` and one backoff formula.
 */

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | null {
  if (header === null || header === undefined || header.trim() === "") return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Exponential backoff with "equal jitter": the capped step `base x 2^attempt` (attempt 0 is the first
 * retry), half of it fixed and half random. The fixed half keeps a retry from coming straight back; the
 * random half spreads out the retries of many workers that failed together (a platform's 502 burst).
 */
export function backoffMs(attempt: number, base: number, max: number, random: () => number): number {
  const step = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.floor(step / 2 + random() * (step / 2));
}
