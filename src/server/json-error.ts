import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorCode } from "../errors.ts";

/** Every refusal of the HTTP layer has the same shape: a stable code and a sentence that says what to do. */
export function jsonError(c: Context, status: ContentfulStatusCode, code: ErrorCode, message: string) {
  return c.json({ error: { code, message } }, status);
}
