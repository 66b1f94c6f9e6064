import { Hono } from "hono";
import { z } from "zod";
import type { Logger } from "../app/logger.ts";
import { previewPage } from "../local/preview-page.ts";
import { adminRoutes } from "./admin-routes.ts";
import { bodyLimits } from "./body-limits.ts";
import { channelLister } from "./channel-list.ts";
import { jsonError } from "./json-error.ts";
import { localApi, localPage } from "./local-access.ts";
import { pageHeaders } from "./page-headers.ts";
import type { ServiceApi } from "./service-api.ts";

const askBody = z.object({
  // The parser answers over-long commands with a friendly refusal; the body limit bounds what is read.
  text: z.string(),
  channel: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,80}$/)
    .default("general"),
  user: z.string().max(80).default("local-admin"),
});

const messagesQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  channel: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  edited_since: z.string().max(40).optional(),
});

export interface HttpAppOptions {
  /** This start's secret for the local endpoints (see local-token.ts). */
  localToken: string;
  /** Chat platforms' own endpoints (Slack's `POST /slack/events`, Teams' `POST /api/messages`), mounted when configured. */
  routes?: readonly Hono[];
}

const isJson = (contentType: string | undefined) =>
  /^application\/json\s*(;|$)/i.test(contentType?.trim() ?? "");

/** Routes only: parse the request, call the service, shape the response. */
export function createHttpApp(service: ServiceApi, logger: Logger, options: HttpAppOptions): Hono {
  const app = new Hono();

  // The local checks come first, so a refused request is never read.
  app.use("/", localPage);
  app.use("/api/local/*", localApi(options.localToken));
  app.use("*", bodyLimits());
  const channels = channelLister(service, logger);

  app.get("/healthz", async (c) => {
    const report = await service.health();
    return c.json(report, report.ok ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const { contentType, body } = await service.metricsText();
    return c.body(body, 200, { "content-type": contentType });
  });

  app.get("/charts/:file", async (c) => {
    const file = c.req.param("file");
    // A published image (Teams): a 32-character random token, served until it expires, from the database.
    const token = /^([A-Za-z0-9_-]{32})\.png$/.exec(file)?.[1];
    const published = token ? await service.chartImage(token) : null;
    if (published)
      return c.body(new Uint8Array(published.png), 200, {
        "content-type": "image/png",
        "content-length": String(published.png.length),
        "cache-control": `public, max-age=${published.maxAgeSeconds}, immutable`,
        "x-content-type-options": "nosniff",
      });
    const match = /^([a-f0-9]{8,64})\.png$/.exec(file);
    const png = match?.[1] ? service.chartPng(match[1]) : null;
    if (!png)
      return jsonError(
        c,
        404,
        "clg_not_found",
        "No such chart (charts are kept for a while, then re-rendered on demand).",
      );
    return c.body(new Uint8Array(png), 200, {
      "content-type": "image/png",
      "cache-control": "public, max-age=86400, immutable",
    });
  });

  for (const routes of options.routes ?? []) app.route("/", routes);

  app.get("/", (c) => {
    const { nonce, headers } = pageHeaders();
    return c.html(previewPage({ token: options.localToken, nonce }), 200, headers);
  });
  app.route("/api/local", adminRoutes(service.admin));
  for (const routes of options.routes ?? []) app.route("/", routes);

  app.post("/api/local/ask", async (c) => {
    // A form or a text/plain request from another page needs no permission from the browser; JSON does.
    if (!isJson(c.req.header("content-type")))
      return jsonError(
        c,
        415,
        "clg_bad_request",
        'Send Content-Type: application/json with a body like {"text": "activation 28d"}.',
      );
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return jsonError(c, 400, "clg_bad_request", 'Send JSON like {"text": "activation 28d"}.');
    }
    const parsed = askBody.safeParse(raw);
    if (!parsed.success) {
      return jsonError(
        c,
        400,
        "clg_bad_request",
        parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
      );
    }
    const answer = await service.ask(parsed.data);
    return c.json({
      message: answer.message,
      text: answer.text,
      charts: answer.charts.map((ch) => ({
        id: ch.id,
        altText: ch.altText,
        url: ch.png ? `/charts/${ch.id}.png` : null,
      })),
    });
  });

  app.get("/api/local/messages", (c) => {
    const query = messagesQuery.safeParse(c.req.query());
    if (!query.success) return jsonError(c, 400, "clg_bad_request", "after must be a number of 0 or more.");
    const { after, channel, edited_since: editedSince } = query.data;
    const log = service.channelLog;
    // Edits keep their entry's id, so the page also asks for what changed since the last edit it saw.
    const edited =
      editedSince === undefined
        ? []
        : log
            .since(0, channel)
            .filter((e) => e.id <= after && e.editedAt !== undefined && e.editedAt >= editedSince);
    return c.json({ entries: [...edited, ...log.since(after, channel)], channels: channels() });
  });

  app.onError((error, c) => {
    // The service turns known errors into messages; reaching here is a bug, so keep the reply generic and safe.
    logger.error({ err: error, path: c.req.path }, "request failed");
    return jsonError(c, 500, "clg_internal", "Something went wrong on our side; the log has the details.");
  });

  return app;
}
