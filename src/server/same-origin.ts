import type { Context } from "hono";
import { localPortOf } from "./loopback.ts";

const LOCAL_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/**
 * The names this service answers to locally. A page on another site that makes its own name resolve to
 * 127.0.0.1 (DNS rebinding) still sends its own name as `Host`, so only these are accepted.
 */
function localHosts(port: number): Set<string> {
  const hosts = LOCAL_NAMES.map((name) => `${name}:${port}`);
  if (port === 80) hosts.push(...LOCAL_NAMES);
  return new Set(hosts);
}

/** Why the request's `Host` is not this service's own local address, or null when it is. */
export function foreignHost(c: Context): string | null {
  const port = localPortOf(c);
  const host = c.req.header("host")?.toLowerCase();
  if (port !== undefined && host !== undefined && localHosts(port).has(host)) return null;
  return `The local preview answers only as http://localhost:${port ?? "PORT"}/ (the request named host "${host ?? ""}").`;
}

/**
 * Why the request comes from a page of another origin, or null when it comes from our own page or from a
 * program (`clg ask` sends no Origin). Browsers send Origin on every POST and Sec-Fetch-Site on every
 * request, and a page cannot forge either.
 */
export function foreignOrigin(c: Context): string | null {
  const site = c.req.header("sec-fetch-site");
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return `The local endpoints answer only the preview page itself (this request came from a ${site} page).`;
  const origin = c.req.header("origin");
  if (origin === undefined) return null;
  const port = localPortOf(c);
  let host: string | null = null;
  try {
    const url = new URL(origin);
    host = url.protocol === "http:" ? url.host.toLowerCase() : null;
  } catch {
    host = null;
  }
  if (port !== undefined && host !== null && localHosts(port).has(host)) return null;
  return `The local endpoints answer only the preview page itself (this request came from ${origin}).`;
}
