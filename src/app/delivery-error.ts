import { backoffMs } from "../retry-timing.ts";
/**
 * What a platform answered when a send did not work, in platform-neutral terms. Adapters translate their
 * API's errors into one of these reasons and keep the original error as `cause`.
 * - `rate_limited`: 429; `retryAfterMs` when the platform said how long (Slack and Teams both do).
 * - `channel_gone`: the channel or conversation cannot be reached for good (channel_not_found,
 *   not_in_channel, is_archived; Teams 403/404 conversation not found, bot removed).
 * - `auth_revoked`: the install is dead (invalid_auth, token_revoked, account_inactive; Teams 401).
 * - `bad_message`: the platform refused this message (too big, invalid blocks); another try cannot help.
 * - `transient`: 5xx, timeouts, connection resets: try again later.
 */
export type DeliveryFailureReason =
  | "rate_limited"
  | "channel_gone"
  | "auth_revoked"
  | "bad_message"
  | "transient";

export class DeliveryError extends Error {
  readonly reason: DeliveryFailureReason;
  readonly retryAfterMs: number | undefined;
  /** The platform's own error code (e.g. `channel_not_found`), for logs and the admins' notice. */
  readonly platformCode: string | undefined;

  constructor(
    message: string,
    opts: { reason: DeliveryFailureReason; retryAfterMs?: number; platformCode?: string; cause?: unknown },
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DeliveryError";
    this.reason = opts.reason;
    this.retryAfterMs = opts.retryAfterMs;
    this.platformCode = opts.platformCode;
  }

  get isNonRetryable(): boolean {
    return this.reason !== "rate_limited" && this.reason !== "transient";
  }
}

/** Slack's and Teams' permanent error codes, mapped once for every adapter. */
const PERMANENT_CODES: Record<string, DeliveryFailureReason> = {
  channel_not_found: "channel_gone",
  not_in_channel: "channel_gone",
  is_archived: "channel_gone",
  ConversationNotFound: "channel_gone",
  BotNotInConversationRoster: "channel_gone",
  account_inactive: "auth_revoked",
  invalid_auth: "auth_revoked",
  token_revoked: "auth_revoked",
};

/** The reason for a platform error code or HTTP status; unknown answers count as transient. */
export function reasonForPlatformError(code: string | undefined, httpStatus?: number): DeliveryFailureReason {
  if (code && PERMANENT_CODES[code]) return PERMANENT_CODES[code];
  if (httpStatus === 429) return "rate_limited";
  if (httpStatus === 401) return "auth_revoked";
  if (httpStatus === 403 || httpStatus === 404) return "channel_gone";
  if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500 && httpStatus !== 408)
    return "bad_message";
  return "transient";
}

export interface FailureContext {
  /** Attempts so far, this one included. */
  attempts: number;
  maxAttempts: number;
  now: Date;
  /** Handed in so tests know the jitter; default Math.random. */
  random?: () => number;
}

/**
 * What to do about a failed send (the one place that decides):
 * - `retry`: back to pending at `at`; `pauseChannel` holds every row of the channel until then (429);
 * - `fail`: give up on this row; `pauseSubscriptions` and `notifyAdmins` when the channel or install is
 *   gone, so nothing else keeps knocking and the admins hear it once.
 */
export type FailureDecision =
  | { action: "retry"; at: Date; pauseChannel: boolean; countAttempt: boolean }
  | { action: "fail"; pauseSubscriptions: boolean; notifyAdmins: boolean };

/** Transient failures back off from 30 s, doubling, to at most an hour (with jitter: retry-timing.ts). */
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 3_600_000;

/** Used when a 429 carries no Retry-After. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 30_000;

export function decideDeliveryFailure(error: unknown, ctx: FailureContext): FailureDecision {
  const reason = error instanceof DeliveryError ? error.reason : "transient";
  switch (reason) {
    case "rate_limited": {
      const wait = error instanceof DeliveryError ? error.retryAfterMs : undefined;
      return {
        action: "retry",
        at: new Date(ctx.now.getTime() + (wait ?? DEFAULT_RATE_LIMIT_PAUSE_MS)),
        pauseChannel: true,
        countAttempt: false,
      };
    }
    case "transient":
      if (ctx.attempts >= ctx.maxAttempts)
        return { action: "fail", pauseSubscriptions: false, notifyAdmins: false };
      return {
        action: "retry",
        at: new Date(
          ctx.now.getTime() +
            backoffMs(ctx.attempts - 1, BACKOFF_BASE_MS, BACKOFF_MAX_MS, ctx.random ?? Math.random),
        ),
        pauseChannel: false,
        countAttempt: true,
      };
    case "channel_gone":
    case "auth_revoked":
      return { action: "fail", pauseSubscriptions: true, notifyAdmins: true };
    case "bad_message":
      return { action: "fail", pauseSubscriptions: false, notifyAdmins: false };
  }
}
