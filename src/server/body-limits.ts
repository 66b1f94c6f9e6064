import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { MAX_COMMAND_LENGTH } from "../commands/tokenize.ts";
import { jsonError } from "./json-error.ts";

/**
 * The ask body holds one command. The parser refuses commands above MAX_COMMAND_LENGTH characters with a
 * friendly answer; 64 KiB lets any 10,000-character text (6 bytes per character at worst in JSON) reach
 * that answer, and nothing larger is read.
 */
export const ASK_BODY_LIMIT = 64 * 1024;
/** A catalog file sent by `clg catalog apply` while the service runs (the shipped one is about 20 KiB). */
export const CATALOG_BODY_LIMIT = 8 * 1024 * 1024;
/** A CSV sent by `clg samples import` while the service runs; larger files go through a stopped service. */
export const SAMPLES_BODY_LIMIT = 64 * 1024 * 1024;
/** A Slack event or interaction (a clicked message comes with its blocks). */
export const SLACK_BODY_LIMIT = 1024 * 1024;
/** A Bot Framework activity (Teams messages are at most about 100 KB; card action payloads are small). */
export const ACTIVITY_BODY_LIMIT = 256 * 1024;
/** Every other endpoint takes no body at all; a little slack for clients that send an empty JSON object. */
export const DEFAULT_BODY_LIMIT = 1024;

/** Which endpoints take more than the default, and what to tell a caller who sends too much. */
export const LARGER_BODIES: Readonly<Record<string, { maxSize: number; advice: string }>> = {
  "/api/local/ask": {
    maxSize: ASK_BODY_LIMIT,
    advice: `a command is at most ${MAX_COMMAND_LENGTH.toLocaleString("en-US")} characters`,
  },
  "/api/local/catalog/apply": {
    maxSize: CATALOG_BODY_LIMIT,
    advice: "split the catalog or stop the service",
  },
  "/slack/events": {
    maxSize: SLACK_BODY_LIMIT,
    advice: "Slack's payloads are far smaller",
  },
  "/api/messages": {
    maxSize: ACTIVITY_BODY_LIMIT,
    advice: "a Teams activity is at most about 100 KB",
  },
  "/api/local/samples/import": {
    maxSize: SAMPLES_BODY_LIMIT,
    advice: "stop the service and run `clg samples import` again to stream the file from disk",
  },
};

const kib = (bytes: number) => `${bytes / 1024} KiB`;

function limit(maxSize: number, advice: string): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      jsonError(c, 413, "clg_too_large", `The request body is larger than ${kib(maxSize)}; ${advice}.`),
  });
}

/**
 * Caps every request body before it is read: by Content-Length when the client sends one, and while
 * streaming otherwise (chunked uploads stop at the limit).
 */
export function bodyLimits(
  larger: Readonly<Record<string, { maxSize: number; advice: string }>> = LARGER_BODIES,
): MiddlewareHandler {
  const fallback = limit(DEFAULT_BODY_LIMIT, "this endpoint takes no body");
  const byPath = new Map(Object.entries(larger).map(([path, l]) => [path, limit(l.maxSize, l.advice)]));
  return (c, next) => (byPath.get(c.req.path) ?? fallback)(c, next);
}
