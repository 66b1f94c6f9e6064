import { ErrorCode } from "@slack/web-api";
import { DeliveryError, reasonForPlatformError } from "../app/delivery-error.ts";

interface WebApiErrorShape {
  code?: string;
  data?: { error?: string };
  retryAfter?: number;
  statusCode?: number;
  message?: string;
}

/** The Slack error code of a Web API failure (`not_in_channel`, `invalid_blocks`), if it has one. */
export function slackErrorCode(error: unknown): string | undefined {
  const e = error as WebApiErrorShape | null;
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

/**
 * A Web API failure in the outbox's terms: 429 keeps Slack's Retry-After, the permanent codes (channel
 * gone, install revoked) stop retries, HTTP and network failures are transient. The original error is kept.
 */
export function toDeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const e = (error ?? {}) as WebApiErrorShape;
  if (e.code === ErrorCode.RateLimitedError) {
    return new DeliveryError(`Slack rate-limited ${what}.`, {
      reason: "rate_limited",
      platformCode: "ratelimited",
      ...(typeof e.retryAfter === "number" ? { retryAfterMs: e.retryAfter * 1000 } : {}),
      cause: error,
    });
  }
  if (e.code === ErrorCode.PlatformError) {
    const code = e.data?.error;
    const reason = code === "ratelimited" ? "rate_limited" : reasonForPlatformError(code);
    // Slack's other refusals of one message (invalid_blocks, msg_too_long) cannot succeed on a retry.
    const final =
      reason === "transient" &&
      code &&
      !/^(internal_error|fatal_error|service_unavailable|request_timeout)$/.test(code)
        ? "bad_message"
        : reason;
    return new DeliveryError(`Slack refused ${what}: ${code ?? "unknown error"}.`, {
      reason: final,
      ...(code ? { platformCode: code } : {}),
      cause: error,
    });
  }
  if (e.code === ErrorCode.HTTPError) {
    return new DeliveryError(`Slack answered HTTP ${e.statusCode} to ${what}.`, {
      reason: reasonForPlatformError(undefined, e.statusCode),
      cause: error,
    });
  }
  return new DeliveryError(`Slack could not be reached for ${what}: ${e.message ?? String(error)}`, {
    reason: "transient",
    cause: error,
  });
}
