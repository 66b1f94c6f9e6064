import type { MiddlewareHandler } from "hono";
import { jsonError } from "./json-error.ts";
import { LOCAL_TOKEN_HEADER, tokenMatches } from "./local-token.ts";
import { notFromThisMachine } from "./loopback.ts";
import { foreignHost, foreignOrigin } from "./same-origin.ts";

/**
 * The preview page: only this machine, under our own name. A link from anywhere may open it (it acts on
 * nothing by itself); framing it is refused by its headers.
 */
export const localPage: MiddlewareHandler = async (c, next) => {
  const refusal = notFromThisMachine(c) ?? foreignHost(c);
  if (refusal) return jsonError(c, 403, "clg_forbidden", refusal);
  await next();
};

/**
 * The endpoints that act as the local admin: this machine, our own name, no other page, and this start's
 * token. Each check stops a different attack: another host, DNS rebinding, a cross-site request, and a
 * local process or page that never saw the token.
 */
export function localApi(token: string): MiddlewareHandler {
  return async (c, next) => {
    const refusal = notFromThisMachine(c) ?? foreignHost(c) ?? foreignOrigin(c);
    if (refusal) return jsonError(c, 403, "clg_forbidden", refusal);
    if (!tokenMatches(token, c.req.header(LOCAL_TOKEN_HEADER)))
      return jsonError(
        c,
        403,
        "clg_forbidden",
        `This endpoint needs this start's token in the ${LOCAL_TOKEN_HEADER} header: clg ask reads it from the service file in the data folder, and the preview page carries its own.`,
      );
    await next();
  };
}
