import { ClgError } from "../../errors.ts";
import { assertPublicUrl, type ResolveHost, resolveHost } from "./public-address.ts";
import { nonPublicCause, publicOnlyDispatcher } from "./public-dispatcher.ts";

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
 * redirect (redirects are followed here, never by fetch, so none escapes the check), and connects
 * through a dispatcher whose own DNS lookup accepts public addresses only, so a name that answers
 * differently at the check and at the connection (DNS rebinding) is refused too. Credentials in
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
    const response = await fetchPinned(current, opts, {
      headers,
      redirect: "manual",
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.allowPrivate ? {} : { dispatcher: publicOnlyDispatcher(resolve) }),
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

/** The request; a connection refused by the public-only lookup fails in the same words as the check. */
async function fetchPinned(url: URL, opts: GuardedFetchOptions, init: RequestInit): Promise<Response> {
  try {
    return await opts.fetch(url, init);
  } catch (e) {
    const refused = nonPublicCause(e);
    if (!refused) throw e;
    throw new ClgError(
      "clg_source_failed",
      `${opts.what}: ${url.host} resolves to ${refused.address}, a ${refused.range} address, when connecting; sources may only reach public addresses.`,
      {
        hint: "The name answered with a public address first and a private one when connecting. Use a public URL, or set config.allow_private_addresses: true on this source if it must reach an internal service.",
        cause: e,
      },
    );
  }
}
