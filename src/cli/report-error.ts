import { isClgError } from "../errors.ts";

/**
 * One clear message per failure, no stack trace for errors we understand. Unknown errors keep their
 * message (and the stack when CLG_DEBUG is set) so they can be reported.
 */
export function formatCliError(error: unknown, debug = false): string {
  if (isClgError(error)) {
    const lines = [`error [${error.code}]: ${error.message}`];
    if (error.suggestions.length > 0) lines.push(`did you mean: ${error.suggestions.join(", ")}?`);
    if (error.hint) lines.push(error.hint);
    return lines.join("\n");
  }
  const message = error instanceof Error ? error.message : String(error);
  return debug && error instanceof Error && error.stack
    ? `error [clg_internal]: ${error.stack}`
    : `error [clg_internal]: ${message}\n(set CLG_DEBUG=1 for the stack trace)`;
}
