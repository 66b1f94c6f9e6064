import { Activity } from "@microsoft/agents-activity";
import type { Request as AgentsRequest, CloudAdapter, TurnContext } from "@microsoft/agents-hosting";
import { Hono } from "hono";
import type { Logger } from "../app/logger.ts";
import { jsonError } from "../server/json-error.ts";
import { notFromThisMachine } from "../server/loopback.ts";
import { isTrustedServiceUrl, type ServiceUrlPolicy } from "./trusted-service-url.ts";
import { CollectedResponse } from "./web-response.ts";

export interface BotEndpointOptions {
  adapter: CloudAdapter;
  logic: (ctx: TurnContext) => Promise<void>;
  logger: Logger;
  /** True when a client id is configured: every request must carry a token the SDK verifies. */
  authenticated: boolean;
  serviceUrls: ServiceUrlPolicy;
}

/** The parts of a request the SDK reads, from Hono's; header names lower-case as Node gives them. */
function agentsRequest(method: string, headers: Headers, body: unknown): AgentsRequest {
  const h: Record<string, string> = {};
  headers.forEach((value, name) => {
    h[name] = value;
  });
  return { method, headers: h, body } as AgentsRequest;
}

/** Whether the SDK's own schema reads the body as an activity (else `process` would throw on it). */
function isActivity(body: object): boolean {
  try {
    Activity.fromObject(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * `POST /api/messages`: the Bot Framework's way in. In order, and each step stops the request:
 * 1. who may call: a verified token (the SDK's `authorizeJWT`) when a client id is configured, else this
 *    machine only (local mode, anonymous: the endpoint is only mounted then);
 * 2. the body is an activity whose `serviceUrl` the bot trusts (replies never go anywhere else);
 * 3. the CloudAdapter runs the turn and writes the answer (200, or an invoke's response).
 */
export function botEndpoint(opts: BotEndpointOptions): Hono {
  const app = new Hono();
  app.post("/api/messages", async (c) => {
    let body: unknown = null;
    const raw = await c.req.text();
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = null;
    }
    const req = agentsRequest("POST", c.req.raw.headers, body);
    if (opts.authenticated) {
      const res = new CollectedResponse();
      let passed = false;
      await opts.adapter.authorizeRequest(req, res, () => {
        passed = true;
      });
      if (!passed) return res.toResponse();
    } else {
      const refusal = notFromThisMachine(c);
      if (refusal)
        return jsonError(
          c,
          403,
          "clg_forbidden",
          "Without MicrosoftAppId, activities are accepted from this machine only (TEAMS_LOCAL=on).",
        );
    }
    if (body === null || typeof body !== "object" || Array.isArray(body) || !isActivity(body))
      return jsonError(c, 400, "clg_bad_request", "Send a Bot Framework activity as JSON.");
    const { serviceUrl, deliveryMode } = body as { serviceUrl?: unknown; deliveryMode?: unknown };
    // With expectReplies and no serviceUrl the replies come back in this response: nothing is sent anywhere.
    const answersInline = serviceUrl === undefined && deliveryMode === "expectReplies";
    if (!answersInline && !isTrustedServiceUrl(serviceUrl, opts.serviceUrls)) {
      opts.logger.warn(
        { serviceUrl: String(serviceUrl).slice(0, 200) },
        "Teams: activity with an untrusted serviceUrl refused",
      );
      return jsonError(
        c,
        403,
        "clg_forbidden",
        "The activity's serviceUrl is not a Bot Framework host this bot trusts.",
      );
    }
    const res = new CollectedResponse();
    try {
      await opts.adapter.process(req, res, opts.logic);
    } catch (error) {
      opts.logger.error({ err: error }, "Teams: activity failed");
      if (!res.headersSent)
        return jsonError(
          c,
          500,
          "clg_internal",
          "The activity could not be handled; the log has the details.",
        );
    }
    return res.toResponse();
  });
  return app;
}
