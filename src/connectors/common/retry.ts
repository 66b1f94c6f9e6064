import { ClgError, isClgError } from "../../errors.ts";
import { backoffMs, retryAfterMs } from "../../retry-timing.ts";

export interface RetryOptions {
  /** Tries in all, the first included. */
  attempts?: number;
  /** First backoff step; each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the poll fails and says how long to wait. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  /** Handed in so tests run without waiting and without chance. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** What is being asked, for messages: `GA4 property 123`, `Stripe`. */
  what: string;
}

/** Statuses worth another try: rate limits, and servers that are briefly down. */
export const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/**
 * Calls `send` until it answers with a status that is not worth retrying (408, 429, 5xx are), or the
 * attempts run out, backing off with jitter and honouring `Retry-After`. Network failures are retried
 * too. Returns the last Response, ok or not, so the caller turns an error body into its own words; an
 * over-long `Retry-After` or a network failure on the last try throws a `clg_source_failed` saying so.
 */
export async function withRetry(send: () => Promise<Response>, opts: RetryOptions): Promise<Response> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 20_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  const sleep = opts.sleep ?? sleepMs;
  const random = opts.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    const last = attempt === attempts - 1;
    let response: Response;
    try {
      response = await send();
    } catch (e) {
      // Our own refusals (a private address, a bad redirect) are decisions, not passing faults.
      if (opts.signal?.aborted || isClgError(e)) throw e;
      if (last) {
        throw new ClgError(
          "clg_source_failed",
          `${opts.what} could not be reached after ${attempts} tries: ${networkMessage(e)}.`,
          { hint: "Check the address and the network; the next poll tries again.", cause: e },
        );
      }
      await sleep(backoffMs(attempt, base, max, random), opts.signal);
      continue;
    }
    if (!RETRYABLE_STATUS.has(response.status) || last) return response;
    const asked = retryAfterMs(response.headers.get("retry-after"));
    if (asked !== null && asked > maxRetryAfter) {
      await response.body?.cancel();
      throw new ClgError(
        "clg_source_failed",
        `${opts.what} answered ${response.status}${response.status === 429 ? " (rate limit or quota reached)" : ""} and asks to wait ${seconds(asked)} before trying again.`,
        {
          hint: "The next scheduled poll tries again; poll less often or raise the quota if this repeats.",
        },
      );
    }
    await response.body?.cancel();
    await sleep(asked ?? backoffMs(attempt, base, max, random), opts.signal);
  }
}

/** A fetch failure's cause in words ("connect ECONNREFUSED 127.0.0.1:9"), not "fetch failed". */
export function networkMessage(e: unknown): string {
  const cause = (e as { cause?: unknown })?.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return e instanceof Error ? e.message : String(e);
}
