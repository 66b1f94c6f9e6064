import { Hono } from "hono";
import { z } from "zod";
import type { Logger } from "../app/logger.ts";
import { previewPage } from "../local/preview-page.ts";
import { adminRoutes } from "./admin-routes.ts";
import { loopbackOnly } from "./loopback.ts";
import type { ServiceApi } from "./service-api.ts";

const askBody = z.object({
  text: z.string().max(2000),
  channel: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,80}$/)
    .default("general"),
  user: z.string().max(80).default("local-admin"),
});

/** Routes only: parse the request, call the service, shape the response. */
export function createHttpApp(service: ServiceApi, logger: Logger): Hono {
  const app = new Hono();

  app.get("/healthz", async (c) => {
    const report = await service.health();
    return c.json(report, report.ok ? 200 : 503);
  });

  app.get("/metrics", async (c) => {
    const { contentType, body } = await service.metricsText();
    return c.body(body, 200, { "content-type": contentType });
  });

  app.get("/charts/:file", (c) => {
    const match = /^([a-f0-9]{8,64})\.png$/.exec(c.req.param("file"));
    const png = match?.[1] ? service.chartPng(match[1]) : null;
    if (!png)
      return c.json(
        {
          error: {
            code: "clg_not_found",
            message: "No such chart (charts are kept for a while, then re-rendered on demand).",
          },
        },
        404,
      );
    return c.body(new Uint8Array(png), 200, {
      "content-type": "image/png",
      "cache-control": "public, max-age=86400, immutable",
    });
  });

  app.use("/api/local/*", loopbackOnly);
  app.use("/", loopbackOnly);

  app.get("/", (c) => c.html(previewPage()));
  app.route("/api/local", adminRoutes(service.admin));

  app.post("/api/local/ask", async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      return c.json(
        { error: { code: "clg_bad_request", message: 'Send JSON like {"text": "activation 28d"}.' } },
        400,
      );
    }
    const parsed = askBody.safeParse(raw);
    if (!parsed.success) {
      return c.json(
        {
          error: {
            code: "clg_bad_request",
            message: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
          },
        },
        400,
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
    const after = Number(c.req.query("after") ?? 0);
    const channel = c.req.query("channel");
    return c.json({
      entries: service.channelLog.since(Number.isFinite(after) ? after : 0, channel || undefined),
      channels: service.channelLog.channels(),
    });
  });

  app.onError((error, c) => {
    // The service turns known errors into messages; reaching here is a bug, so keep the reply generic and safe.
    logger.error({ err: error, path: c.req.path }, "request failed");
    return c.json(
      {
        error: {
          code: "clg_internal",
          message: "Something went wrong on our side; the log has the details.",
        },
      },
      500,
    );
  });

  return app;
}
