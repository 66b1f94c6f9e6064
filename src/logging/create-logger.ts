import { pino } from "pino";
import type { Logger } from "../app/logger.ts";

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

/** The service's logger: JSON lines with secrets redacted wherever they appear. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { service: "clg-bot" } },
    destination,
  );
}
