import { pino } from "pino";

export type Logger = pino.Logger;

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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { service: "clg-bot" } },
    destination,
  );
}
