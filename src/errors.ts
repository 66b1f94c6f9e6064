/**
 * Errors that reach a user carry a stable code and a message that says what to do.
 * The domain returns or throws these; chat adapters turn them into friendly replies.
 */
export const ERROR_CODES = [
  "clg_unknown_kpi",
  "clg_kpi_unreadable",
  "clg_unknown_stage",
  "clg_unknown_command",
  "clg_bad_window",
  "clg_bad_threshold",
  "clg_bad_cron",
  "clg_bad_timezone",
  "clg_bad_duration",
  "clg_bad_dimension",
  "clg_forbidden",
  "clg_catalog_invalid",
  "clg_config_invalid",
  "clg_db_unreachable",
  "clg_source_failed",
  "clg_chart_failed",
  "clg_not_found",
  "clg_bad_request",
  "clg_too_large",
  "clg_internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class ClgError extends Error {
  readonly code: ErrorCode;
  /** What the user can do next, shown under the message. */
  readonly hint: string | undefined;
  /** Close valid words (KPI names, commands, stages) to offer. */
  readonly suggestions: readonly string[];

  constructor(
    code: ErrorCode,
    message: string,
    options: { hint?: string; suggestions?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ClgError";
    this.code = code;
    this.hint = options.hint;
    this.suggestions = options.suggestions ?? [];
  }
}

export function isClgError(e: unknown): e is ClgError {
  return e instanceof ClgError;
}

export type Result<T, E = ClgError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
