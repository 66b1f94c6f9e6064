import { LogLevel, WebClient } from "@slack/web-api";
import type { Logger } from "../app/logger.ts";

/** The bot token of a workspace (`slack:<team_id>`), or null when it has none (not installed, revoked). */
export type TokenLookup = (workspace: string) => Promise<string | null>;

export interface WebClientSettings {
  /** The Web API base URL, ending in "/". */
  apiUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
}

/** Slack's logger interface on our logger: the SDK's own chatter stays at debug. */
function slackLogger(logger: Logger) {
  let level = LogLevel.WARN;
  return {
    debug: (...m: unknown[]) => logger.debug({ slack: m.map(String).join(" ") }, "slack sdk"),
    info: (...m: unknown[]) => logger.debug({ slack: m.map(String).join(" ") }, "slack sdk"),
    warn: (...m: unknown[]) => logger.warn({ slack: m.map(String).join(" ") }, "slack sdk"),
    error: (...m: unknown[]) => logger.error({ slack: m.map(String).join(" ") }, "slack sdk"),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/**
 * Options for every WebClient clg-bot makes (Bolt's and the sender's): the configured base URL, no retries
 * of its own and 429s thrown at once (the outbox decides when to try again, per channel, from Retry-After).
 */
export function webClientOptions(s: WebClientSettings) {
  return {
    slackApiUrl: s.apiUrl,
    logger: slackLogger(s.logger),
    logLevel: LogLevel.WARN,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    ...(s.fetch ? { fetch: s.fetch as never } : {}),
  };
}

/** One WebClient per token, reused (each keeps its own request queue). */
export function createClientPool(s: WebClientSettings) {
  const clients = new Map<string, WebClient>();
  const options = webClientOptions(s);
  return {
    options,
    forToken(token: string): WebClient {
      let client = clients.get(token);
      if (!client) {
        client = new WebClient(token, options);
        clients.set(token, client);
      }
      return client;
    },
  };
}

export type ClientPool = ReturnType<typeof createClientPool>;
