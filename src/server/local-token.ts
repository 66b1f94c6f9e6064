import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The header that carries the token: a custom header also makes a browser ask first (CORS preflight). */
export const LOCAL_TOKEN_HEADER = "x-clg-token";

/**
 * A new secret per start. `clg ask` reads it from the service file (readable by the operator only); the
 * preview page gets it inside its own HTML, which the same-origin policy keeps from other pages.
 */
export function createLocalToken(): string {
  return randomBytes(32).toString("base64url");
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison, so the time of a refusal says nothing about how much of a guess was right. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  return given !== undefined && timingSafeEqual(digest(expected), digest(given));
}
