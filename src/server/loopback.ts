import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

/**
 * The local preview and the `clg ask` endpoint act as the local admin, so only this machine may reach them,
 * whatever address the server listens on.
 */
export const loopbackOnly: MiddlewareHandler = async (c: Context, next) => {
  let address: string | undefined;
  try {
    address = getConnInfo(c).remote.address;
  } catch {
    address = undefined;
  }
  if (!isLoopback(address)) {
    return c.json(
      { error: { code: "clg_forbidden", message: "The local preview only answers on this machine." } },
      403,
    );
  }
  await next();
};
