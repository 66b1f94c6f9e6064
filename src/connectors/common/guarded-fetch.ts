import { ClgError } from "../../errors.ts";
import { assertPublicUrl, type ResolveHost, resolveHost } from "./public-address.ts";

export interface GuardedFetchOptions {
  fetch: typeof fetch;
  /** Skip the public-address check (a source that says `allow_private_addresses: true`). */
  allowPrivate: boolean;
  resolve?: ResolveHost;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** For messages: `HTTP source "helpdesk"`. */
  what: string;
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A GET that checks the target is a public address before the request and again before following each
 * redirect (redirects are followed here, never by fetch, so none escapes the check). Credentials in
 * `headers` are dropped when a redirect leaves the original origin.
 */
export async function guardedGet(url: URL, opts: GuardedFetchOptions): Promise<Response> {
  const resolve = opts.resolve ?? resolveHost;
  const max = opts.maxRedirects ?? 5;
  let current = url;
  let headers = opts.headers ?? {};
  for (let hop = 0; ; hop++) {
    if (current.protocol !== "https:" && current.protocol !== "http:") {
      throw new ClgError("clg_source_failed", `${opts.what}: ${current.protocol} URLs are not fetched.`, {
        hint: "Use an https:// URL.",
      });
    }
    if (!opts.allowPrivate) await assertPublicUrl(current, resolve, opts.what);
    const response = await opts.fetch(current, {
      headers,
      redirect: "manual",
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!REDIRECTS.has(response.status)) return response;
    const location = response.headers.get("location");
    await response.body?.cancel();
    if (!location || hop >= max) {
      throw new ClgError(
        "clg_source_failed",
        `${opts.what}: ${location ? `more than ${max} redirects` : `a ${response.status} redirect without a Location`} from ${current.origin}.`,
        { hint: "Use the final URL in the catalog." },
      );
    }
    const next = new URL(location, current);
    if (next.origin !== current.origin) headers = {};
    current = next;
  }
}
