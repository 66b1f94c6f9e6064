import type { RenderedChart } from "../app/chat-sender.ts";
import type { HealthReport } from "../app/health.ts";
import type { ChannelLog } from "../local/channel-log.ts";
import type { Message } from "../messages/message.ts";
import type { AdminApi } from "./admin-routes.ts";

export type { HealthReport };

export interface AskInput {
  text: string;
  channel: string;
  user: string;
}

export interface AskAnswer {
  message: Message;
  text: string;
  charts: RenderedChart[];
}

/** What the HTTP layer needs from the running service; the routes only translate HTTP to these calls. */
export interface ServiceApi {
  health(): Promise<HealthReport>;
  ask(input: AskInput): Promise<AskAnswer>;
  chartPng(id: string): Buffer | null;
  /** A chart image published for a platform (Teams) by its token; null when unknown or expired. */
  chartImage(token: string): Promise<{ png: Buffer; maxAgeSeconds: number } | null>;
  metricsText(): Promise<{ contentType: string; body: string }>;
  /** What each local channel is for ("the weekly digest"), by channel name. */
  channelPurposes(): Promise<ReadonlyMap<string, string>>;
  channelLog: ChannelLog;
  /** The `clg` administration tasks, run by the service for the CLI. */
  admin: AdminApi;
}
