import { pino } from "pino";
import type { Logger } from "../app/logger.ts";
import { redactUrlPasswords } from "../redact.ts";

/** Paths never written to logs, wherever they appear in a logged object. */
const REDACT = [
  "token",
  "*.token",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "headers.cookie",
  "botToken",
  "*.botToken",
  "databaseUrl",
  "secretKey",
];

/**
 * Tokens that can hide inside free text (an error's message or stack, a quoted request): Slack tokens
 * (`xoxb-…`, `xapp-…`), bearer tokens of an Authorization header, and passwords in connection URLs.
 */
const TOKEN_PATTERNS: readonly [RegExp, string][] = [
  [/\b(xox[abeoprs]|xapp)-[A-Za-z0-9-]+/g, "$1-[redacted]"],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
];

/** A written log line with the tokens of free text masked (the paths above cover structured fields). */
export function scrubTokens(line: string): string {
  let out = redactUrlPasswords(line);
  for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** The service's logger: JSON lines with secrets redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: "[redacted]" },
      base: { service: "clg-bot" },
      hooks: { streamWrite: scrubTokens },
    },
    destination,
  );
}
