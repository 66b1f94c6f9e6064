import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { ClgError } from "../../errors.ts";

/** Resolves a host name to every address it has (A and AAAA); handed in so tests control DNS. */
export type ResolveHost = (host: string) => Promise<string[]>;

export const resolveHost: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** ipaddr.js ranges that reach the public internet; everything else (private, loopback, link-local...) is refused. */
const PUBLIC_RANGES = new Set(["unicast"]);

/** The range name of an address that is not public ("loopback", "private", "linkLocal"...), or null. */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return PUBLIC_RANGES.has(range) ? null : range;
}

/**
 * Refuses a URL whose host is, or resolves to, any address that is not public (loopback, private,
 * link-local such as the cloud metadata service 169.254.169.254, unique-local, carrier-grade NAT,
 * unspecified, multicast, reserved). Every address is checked, since a client may pick any of them.
 */
export async function assertPublicUrl(url: URL, resolve: ResolveHost, what: string): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = ipaddr.isValid(host) ? [host] : await resolveOrFail(host, resolve, what);
  for (const address of addresses) {
    const range = nonPublicRange(address);
    if (range === null) continue;
    throw new ClgError(
      "clg_source_failed",
      `${what}: ${url.host} ${address === host ? "is" : `resolves to ${address},`} a ${range} address; sources may only reach public addresses.`,
      {
        hint: "Use a public URL, or set config.allow_private_addresses: true on this source if it must reach an internal service.",
      },
    );
  }
}

async function resolveOrFail(host: string, resolve: ResolveHost, what: string): Promise<string[]> {
  try {
    const all = await resolve(host);
    if (all.length > 0) return all;
  } catch (e) {
    throw new ClgError("clg_source_failed", `${what}: the host "${host}" was not found.`, {
      hint: "Check the URL's host name.",
      cause: e,
    });
  }
  throw new ClgError("clg_source_failed", `${what}: the host "${host}" has no address.`);
}
