import { ClgError } from "../../errors.ts";

/**
 * Runs `work` with a signal that aborts after `ms`; the poll fails with a message naming the source and
 * the limit even when the connector does not watch the signal (the work is then left to finish alone).
 */
export async function withTimeout<T>(
  ms: number,
  source: string,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const error = new ClgError(
    "clg_source_failed",
    `Source "${source}" did not finish its poll within ${Math.round(ms / 1000)} s and was stopped.`,
    { hint: "Check that the service answers; raise config.timeout_ms if a long backfill needs more time." },
  );
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
