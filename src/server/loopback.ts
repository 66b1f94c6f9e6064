import type { Context } from "hono";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Headers a reverse proxy adds. A proxy on the same host connects from loopback on behalf of someone
 * else, so a request that carries any of them is not the local operator, whatever its address.
 */
const PROXY_HEADERS = ["forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip"] as const;

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string; localPort?: number } };
}

const socketOf = (c: Context) => (c.env as NodeBindings | undefined)?.incoming?.socket;

/** The port this request arrived on: the service's own address, whatever `PORT` said (0 picks one). */
export function localPortOf(c: Context): number | undefined {
  return socketOf(c)?.localPort;
}

/** Why a request does not come straight from this machine, or null when it does. */
export function notFromThisMachine(c: Context): string | null {
  if (!isLoopback(socketOf(c)?.remoteAddress)) return "The local preview only answers on this machine.";
  const proxied = PROXY_HEADERS.find((h) => c.req.header(h) !== undefined);
  if (proxied)
    return `The local preview does not answer through a proxy (the request carries ${proxied}); open it on the machine that runs the service.`;
  return null;
}
