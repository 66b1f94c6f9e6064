import { ClgError } from "../../errors.ts";
import { type RetryOptions, withRetry } from "./retry.ts";

/**
 * A request with retries whose JSON answer is returned when the status is 2xx; otherwise `describe`
 * turns the status and error body into the message (each API words its errors differently).
 */
export async function requestJson(
  send: () => Promise<Response>,
  retry: RetryOptions,
  describe: (status: number, body: unknown, text: string) => { message: string; hint: string },
): Promise<unknown> {
  const response = await withRetry(send, retry);
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === "" ? null : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML page): described from the status and text.
  }
  if (response.ok && body !== null) return body;
  const { message, hint } = response.ok
    ? { message: `${retry.what} answered something that is not JSON.`, hint: "Check the API address." }
    : describe(response.status, body, text.slice(0, 300));
  throw new ClgError("clg_source_failed", message, { hint });
}
