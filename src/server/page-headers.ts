import { randomBytes } from "node:crypto";

/**
 * Headers of the preview page. It carries the token, so: never cached, never framed by another page
 * (a framed page could be clicked into running commands), and only its own script runs.
 */
export function pageHeaders(): { nonce: string; headers: Record<string, string> } {
  const nonce = randomBytes(16).toString("base64");
  return {
    nonce,
    headers: {
      "cache-control": "no-store",
      "content-security-policy": [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        `style-src 'nonce-${nonce}'`,
        "img-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
      ].join("; "),
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
    },
  };
}
