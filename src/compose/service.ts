import { serve } from "@hono/node-server";
import { startBackgroundWork } from "../app/background.ts";
import { checkHealth } from "../app/health.ts";
import { askLocal } from "../local/ask-local.ts";
import { describeLocalChannels } from "../local/channel-purposes.ts";
import { localChannel } from "../local/local-channel.ts";
import { writeServiceFile } from "../local/service-file.ts";
import { createHttpApp } from "../server/http-app.ts";
import { createLocalToken } from "../server/local-token.ts";
import type { ServiceApi } from "../server/service-api.ts";
import { adminApi } from "./admin-api.ts";
import type { LocalRuntime } from "./runtime.ts";
import { startSlackService } from "./slack.ts";

export interface RunningService {
  port: number;
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** The local way in: what the preview page and `clg ask` reach over HTTP, logged in the channel log. */
function localApi(rt: LocalRuntime, ready: Promise<void>): ServiceApi {
  return {
    health: () => checkHealth(rt.db),
    async ask(input) {
      await ready;
      const channel = localChannel(input.channel);
      rt.channelLog.append({
        channel,
        at: rt.clock.now().toISOString(),
        author: "user",
        text: input.text,
        message: null,
        charts: [],
      });
      const answer = await askLocal(rt, { ...input, channel });
      rt.channelLog.append({
        channel,
        at: rt.clock.now().toISOString(),
        author: "bot",
        text: null,
        message: answer.message,
        charts: answer.charts.filter((c) => c.png).map((c) => c.id),
      });
      return answer;
    },
    chartPng: (id) => rt.charts.get(id),
    async chartImage(token) {
      const now = rt.clock.now();
      const image = await rt.chartImages.find(token, now);
      if (!image) return null;
      // Cached at most a day, and never past the image's expiry.
      const left = Math.floor((image.expiresAt.getTime() - now.getTime()) / 1000);
      return { png: image.png, maxAgeSeconds: Math.max(0, Math.min(86_400, left)) };
    },
    async metricsText() {
      return { contentType: rt.metrics.registry.contentType, body: await rt.metrics.registry.metrics() };
    },
    async channelPurposes() {
      await ready;
      return describeLocalChannels(rt);
    },
    channelLog: rt.channelLog,
    admin: adminApi(rt, ready),
  };
}

/**
 * The service: HTTP first (so health answers while the first start loads its history), then the
 * application's background work (catalog, polls, first evaluation, schedules, the outbox worker).
 */
export async function startService(
  rt: LocalRuntime,
  opts: {
    port?: number;
    host?: string;
    /** Slack's environment (catalog secrets for new workspaces) and clock (the signature window). */
    slack?: { env?: Record<string, string | undefined>; now?: () => number };
  } = {},
): Promise<RunningService> {
  const started = Date.now();
  const background = startBackgroundWork(rt);
  const localToken = createLocalToken();
  const slack = rt.slack ? startSlackService(rt, rt.slack, opts.slack ?? {}) : null;
  const app = createHttpApp(localApi(rt, background.ready), rt.logger, {
    localToken,
    routes: [...(slack?.routes ? [slack.routes] : []), ...(rt.teams ? [rt.teams.routes(rt)] : [])],
  });
  const port = opts.port ?? rt.config.port;
  const host = opts.host ?? rt.config.host;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once("error", reject);
  }).catch(async (e) => {
    await background.stop();
    throw e;
  });
  await slack?.start().catch(async (e) => {
    await background.stop();
    await new Promise((resolve) => server.close(resolve));
    throw e;
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  // `clg ask` on this data folder finds the running service here (PGlite allows one process per folder).
  const removeServiceFile =
    rt.config.dataDir === ":memory:"
      ? () => {}
      : writeServiceFile(rt.config.dataDir, { pid: process.pid, port: actualPort, token: localToken });

  const ready = background.ready.then(() =>
    rt.logger.info(
      { port: actualPort, ms: Date.now() - started, database: rt.dbKind },
      `clg-bot is ready: open http://localhost:${actualPort}/ to talk to it, or run: npx clg ask "board"`,
    ),
  );
  ready.catch(() => {});

  return {
    port: actualPort,
    ready,
    async stop() {
      await slack?.stop();
      await background.stop();
      rt.logger.info("background work stopped");
      // Open keep-alive connections must not hold the shutdown: close them after a short wait.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const late = setTimeout(
        () => (server as { closeAllConnections?: () => void }).closeAllConnections?.(),
        2_000,
      );
      await closed;
      clearTimeout(late);
      removeServiceFile();
    },
  };
}
