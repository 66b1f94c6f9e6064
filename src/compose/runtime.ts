import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { ChartImages } from "../app/chart-images.ts";
import { ChartStore, type RenderChart } from "../app/chart-store.ts";
import type { ChatSender } from "../app/chat-sender.ts";
import { type Clock, systemClock } from "../app/clock.ts";
import type { Logger } from "../app/logger.ts";
import { createMetrics, registerOutboxGauges } from "../app/metrics.ts";
import { adminDestinationOf } from "../app/notify-admins.ts";
import type { Runtime } from "../app/runtime.ts";
import type { Platform } from "../catalog/catalog-schema.ts";
import { createChartRenderer } from "../charts/chart-renderer.ts";
import type { Config } from "../config/config.ts";
import { connectorFor } from "../connectors/registry.ts";
import { findChartImage, saveChartImage } from "../db/chart-images-repository.ts";
import { type OpenedDatabase, openDatabase } from "../db/database.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { ChannelLog } from "../local/channel-log.ts";
import { createLocalSender } from "../local/local-sender.ts";
import { createLogger } from "../logging/create-logger.ts";
import { renderText } from "../messages/render-text.ts";
import type { TokenLookup } from "../slack/web-client.ts";
import { publishDepsOf } from "../teams/card-attachment.ts";
import { createSlackParts, installedOrSingleTokens, type SlackParts } from "./slack.ts";
import { createStandInSender } from "./stand-in-sender.ts";
import { composeTeams, type TeamsPlatform } from "./teams.ts";

/**
 * The application's runtime with the local platform plugged in: its channel log feeds the preview page.
 * Everything the service and the CLI share, opened once and closed once.
 */
export interface LocalRuntime extends Runtime {
  channelLog: ChannelLog;
  /** Slack, when configured: tokens, Web API clients and the sender the service's Bolt app shares. */
  slack: SlackParts | null;
  /** Microsoft Teams when configured (its endpoint is mounted by the service), else null. */
  teams: TeamsPlatform | null;
}

export interface RuntimeOptions {
  clock?: Clock;
  logger?: Logger;
  /** Console output of the local sink; null keeps it quiet. */
  print?: ((text: string) => void) | null;
  /** Draw charts (off in most tests: answers then carry alt text only). */
  charts?: boolean;
  /** How long an answer waits for a chart before going out as text. */
  chartBudgetMs?: number;
  fetch?: typeof fetch;
  /** Folder for the local sink's transcripts and PNGs; defaults to <data dir>/local-sink. */
  sinkFolder?: string | null;
  /** A workspace's Slack bot token (the installation store's lookup); default: SLACK_BOT_TOKEN for all. */
  slackTokens?: TokenLookup;
}

/** Opens the configured database, brings its schema up to date, and builds the runtime on it. */
export async function openRuntime(config: Config, opts: RuntimeOptions = {}): Promise<LocalRuntime> {
  const opened = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(opened.db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  return createRuntime(config, opened, opts);
}

/** The runtime on an already open, migrated database (tests hand in theirs). */
export function createRuntime(
  config: Config,
  opened: OpenedDatabase,
  opts: RuntimeOptions = {},
): LocalRuntime {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const renderer =
    opts.charts === false ? null : createChartRenderer({ warn: (message) => logger.warn(message) });
  const budgetMs = opts.chartBudgetMs ?? 2_000;
  const render: RenderChart = renderer
    ? async (chart) => {
        const result = await renderer.render(chart, { budgetMs });
        if (result.png === null) logger.warn({ reason: result.reason }, "chart skipped; answering with text");
        return result.png;
      }
    : async () => null;
  const charts = new ChartStore(render);
  const channelLog = new ChannelLog();
  const local = createLocalSender({
    log: channelLog,
    toText: (m) => renderText(m),
    print: opts.print === undefined ? (t) => process.stdout.write(`${t}\n`) : opts.print,
    folder: opts.sinkFolder === undefined ? `${config.dataDir}/local-sink` : opts.sinkFolder,
    now: () => clock.now(),
  });
  const slackTokens =
    opts.slackTokens ??
    (config.slack && config.slackOAuth && config.secretKey
      ? installedOrSingleTokens(opened.db, config.secretKey, config.slack)
      : undefined);
  const slack = config.slack
    ? createSlackParts(config.slack, logger, {
        ...(slackTokens ? { tokenFor: slackTokens } : {}),
        ...(opts.fetch ? { fetch: opts.fetch } : {}),
      })
    : null;
  // Slack when it is configured; otherwise the test platform's stand-in, when that is.
  const slackSender = slack?.sender ?? (config.testChatUrl ? createStandInSender(config.testChatUrl) : null);
  const chartImages: ChartImages = {
    save: (image) => saveChartImage(opened.db, image),
    find: (token, now) => findChartImage(opened.db, token, now),
  };
  const teams = composeTeams(config, opened.db, logger, clock, publishDepsOf({ chartImages, clock, config }));
  const metrics = createMetrics();
  registerOutboxGauges(metrics, opened.db, clock);
  return {
    config,
    db: opened.db,
    dbKind: opened.kind,
    clock,
    logger,
    metrics,
    charts,
    chartImages,
    channelLog,
    slack,
    teams,
    senders: new Map<Platform, ChatSender>([
      ["local", local],
      ...(slackSender ? [["slack", slackSender] as const] : []),
      ...(teams ? [["teams", teams.sender] as const] : []),
    ]),
    replicaId: config.replicaId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    outbox: { leaseMs: config.deliveryLeaseMs, maxAttempts: config.deliveryMaxAttempts },
    adminDestination: (workspace) => adminDestinationOf(opened.db, config, workspace),
    pollDeps: {
      db: opened.db,
      clock,
      logger,
      metrics,
      connectorFor,
      fetch: opts.fetch ?? fetch,
      secretKey: config.secretKey,
    },
    async close() {
      await renderer?.close();
      await opened.close();
    },
  };
}
