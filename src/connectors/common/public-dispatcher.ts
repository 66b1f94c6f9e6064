import type { LookupAddress, LookupOptions } from "node:dns";
import { Agent, type Dispatcher } from "undici";
import { nonPublicRange, type ResolveHost, resolveHost } from "./public-address.ts";

/** Raised inside the connection's DNS lookup; the fetch that used the dispatcher turns it into words. */
export class NonPublicAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address}, a ${range} address`);
    this.name = "NonPublicAddressError";
  }
}

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for the connection itself: every address the name has must be public, and the socket
 * connects to one of exactly those. Checking the name before the request is not enough, since a name
 * can answer with a public address at the check and a private one when the socket connects (DNS
 * rebinding); this lookup is the one the connection uses.
 */
export function publicOnlyLookup(resolve: ResolveHost) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
          return;
        }
        for (const address of addresses) {
          const range = nonPublicRange(address);
          if (range !== null) {
            callback(new NonPublicAddressError(hostname, address, range), []);
            return;
          }
        }
        const all = addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
        if (options.all) callback(null, all);
        else callback(null, all[0]?.address ?? "", all[0]?.family);
      },
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), []),
    );
  };
}

const agents = new WeakMap<ResolveHost, Dispatcher>();

/** The undici dispatcher whose connections reach public addresses only (one per resolver, kept alive). */
export function publicOnlyDispatcher(resolve: ResolveHost = resolveHost): Dispatcher {
  let agent = agents.get(resolve);
  if (!agent) {
    agent = new Agent({ connect: { lookup: publicOnlyLookup(resolve) as never } });
    agents.set(resolve, agent);
  }
  return agent;
}

/** The NonPublicAddressError behind a failed fetch (undici wraps it as the cause of "fetch failed"). */
export function nonPublicCause(error: unknown): NonPublicAddressError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof NonPublicAddressError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}
