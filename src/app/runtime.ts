import type { Platform } from "../catalog/catalog-schema.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/db.ts";
import type { ChartImages } from "./chart-images.ts";
import type { ChartStore } from "./chart-store.ts";
import type { ChatSender, Destination } from "./chat-sender.ts";
import type { Clock } from "./clock.ts";
import type { OutboxSettings } from "./deliver-outbox.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import type { PollDeps } from "./poll-source.ts";

/**
 * What the application's use cases run on: the database, the clock, logs, metrics, charts and one sender
 * per chat platform. The composition root (src/compose) builds it from the configuration and hands it in;
 * the application never creates an adapter itself.
 */
export interface Runtime {
  config: Config;
  db: Db;
  dbKind: "pglite" | "postgres";
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  charts: ChartStore;
  /** Chart PNGs published at expiring URLs for platforms that fetch images (Teams). */
  chartImages: ChartImages;
  senders: Map<Platform, ChatSender>;
  /** This process's name in schedule claims and logs (unique across replicas and containers). */
  replicaId: string;
  outbox: OutboxSettings;
  /** Where a workspace's admins are told about failures (their own admin channel and platform). */
  adminDestination: (workspace: string) => Promise<Destination | null>;
  pollDeps: PollDeps;
  close(): Promise<void>;
}
