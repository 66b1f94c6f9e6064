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
/** Every other endpoint takes no body at all; a little slack for clients that send an empty JSON object. */
export const DEFAULT_BODY_LIMIT = 1024;

const kib = (bytes: number) => `${bytes / 1024} KiB`;

function limit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      jsonError(
        c,
        413,
        "clg_too_large",
        `The request body is larger than ${kib(maxSize)}; a command is at most ${MAX_COMMAND_LENGTH.toLocaleString("en-US")} characters.`,
      ),
  });
}

/**
 * Caps every request body before it is read: by Content-Length when the client sends one, and while
 * streaming otherwise (chunked uploads stop at the limit).
 */
export function bodyLimits(larger: Readonly<Record<string, number>>): MiddlewareHandler {
  const fallback = limit(DEFAULT_BODY_LIMIT);
  const byPath = new Map(Object.entries(larger).map(([path, size]) => [path, limit(size)]));
  return (c, next) => (byPath.get(c.req.path) ?? fallback)(c, next);
}
