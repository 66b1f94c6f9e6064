import { serve } from "@hono/node-server";
import { sql } from "kysely";
import cron from "node-cron";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { migrationStatus } from "../db/migrate.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { dayInZone } from "../kpi/windows.ts";
import { localChannel } from "../local/local-channel.ts";
import { writeServiceFile } from "../local/service-file.ts";
import { createHttpApp } from "../server/http-app.ts";
import type { HealthReport, ServiceApi } from "../server/service-api.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { askLocal } from "./ask.ts";
import { bootstrapWorkspace } from "./bootstrap.ts";
import { deliverDue } from "./deliver-outbox.ts";
import { evaluateWorkspace } from "./evaluate-workspace.ts";
import { minuteRunner } from "./minute-runner.ts";
import { notifyAdminsOfFailures } from "./notify-admins.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog } from "./workspace-catalog.ts";

export interface RunningService {
  port: number;
  ready: Promise<void>;
  stop(): Promise<void>;
}

async function health(rt: Runtime): Promise<HealthReport> {
  try {
    await sql`select 1`.execute(rt.db);
  } catch (e) {
    return {
      ok: false,
      checks: { database: "unreachable", migrations: "unknown" },
      detail: e instanceof Error ? e.message : String(e),
    };
  }
  const status = await migrationStatus(rt.db);
  return {
    ok: status.current,
    checks: { database: "reachable", migrations: status.current ? "current" : "pending" },
    ...(status.current ? {} : { detail: `pending: ${status.pending.join(", ")}` }),
  };
}

/** What a local channel subscribed to the digest sees on the first start of each day. */
async function queueStartDigests(rt: Runtime): Promise<void> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const day = dayInZone(rt.clock.now(), catalog.timezone);
  for (const sub of await listSubscriptions(rt.db, rt.config.workspace, {
    kind: "digest",
    platform: "local",
  })) {
    const message = await composeDigest({ ...rt, catalog }, sub.locale, sub.filter as SubscriptionFilter);
    await enqueueDelivery(rt.db, {
      idempotencyKey: `digest-on-start:${rt.config.workspace}:${sub.id}:${day}`,
      workspace: rt.config.workspace,
      platform: "local",
      channel: sub.channel,
      payload: { message },
      now: rt.clock.now(),
    });
  }
}

/**
 * The service: HTTP first (so health answers while the first start loads its history), then the catalog,
 * polls and the first evaluation, then the schedules and the outbox worker.
 */
export async function startService(
  rt: Runtime,
  opts: { port?: number; host?: string } = {},
): Promise<RunningService> {
  let markReady: () => void = () => {};
  let failReady: (e: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => {});

  const api: ServiceApi = {
    health: () => health(rt),
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
    async metricsText() {
      return { contentType: rt.metrics.registry.contentType, body: await rt.metrics.registry.metrics() };
    },
    channelLog: rt.channelLog,
  };

  const app = createHttpApp(api, rt.logger);
  const port = opts.port ?? rt.config.port;
  const host = opts.host ?? rt.config.host;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
    s.once("error", reject);
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  // `clg ask` on this data folder finds the running service here (PGlite allows one process per folder).
  const removeServiceFile =
    rt.config.dataDir === ":memory:"
      ? () => {}
      : writeServiceFile(rt.config.dataDir, { pid: process.pid, port: actualPort });

  let ticker: ReturnType<typeof cron.schedule> | null = null;
  let outbox: NodeJS.Timeout | null = null;
  let stopping = false;
  const guard = (what: string, job: () => Promise<unknown>) => async () => {
    if (stopping) return;
    try {
      await job();
    } catch (err) {
      rt.logger.error({ err, job: what }, "background job failed; it runs again on its next tick");
    }
  };

  const schedules = minuteRunner(rt);
  let sending = false;
  // An interval never stacks sends: a slow platform delays the next batch instead of doubling it.
  const outboxWorker = async () => {
    if (sending) return;
    sending = true;
    try {
      await deliverDue(rt);
    } finally {
      sending = false;
    }
  };

  (async () => {
    const started = Date.now();
    const boot = await bootstrapWorkspace(rt.pollDeps, rt.config);
    if (boot.catalogApplied)
      rt.logger.info({ file: boot.catalogApplied }, "catalog applied to the empty workspace");
    await notifyAdminsOfFailures(rt, rt.config.workspace, boot.polls);
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
    await queueStartDigests(rt);
    await deliverDue(rt);
    markReady();
    ticker = cron.schedule("* * * * *", guard("schedules", schedules.tick));
    outbox = setInterval(guard("outbox", outboxWorker), 2_000);
    rt.logger.info(
      { port: actualPort, ms: Date.now() - started, database: rt.dbKind },
      `clg-bot is ready: open http://localhost:${actualPort}/ to talk to it, or run: npx clg ask "board"`,
    );
  })().catch((err) => {
    failReady(err);
    rt.logger.error({ err }, "start-up failed");
  });

  return {
    port: actualPort,
    ready,
    async stop() {
      stopping = true;
      await ticker?.stop();
      if (outbox) clearInterval(outbox);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      removeServiceFile();
    },
  };
}
