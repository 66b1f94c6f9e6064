import type { Logger } from "../app/logger.ts";
import type { ChannelLog } from "../local/channel-log.ts";
import type { ServiceApi } from "./service-api.ts";

export interface ChannelInfo {
  name: string;
  /** "the weekly digest · alerts on Activation rate"; null for a channel nothing subscribes. */
  purpose: string | null;
  /** Id of the channel's latest post (0 when none), so the page can open where something happened last. */
  latestId: number;
}

/** Every channel that has posts or a purpose, plus the default one, by name. */
export function listChannels(log: ChannelLog, purposes: ReadonlyMap<string, string>): ChannelInfo[] {
  const latest = new Map<string, number>();
  for (const e of log.since(0)) latest.set(e.channel, Math.max(latest.get(e.channel) ?? 0, e.id));
  const names = new Set(["general", ...purposes.keys(), ...latest.keys()]);
  return [...names].sort().map((name) => ({
    name,
    purpose: purposes.get(name) ?? null,
    latestId: latest.get(name) ?? 0,
  }));
}

const PURPOSES_TTL_MS = 5_000;

/**
 * The channel list for the page's poll (every 1.5 s). What channels are for changes only with a
 * subscription, and cannot be read while the first start is still loading, so it is refreshed in the
 * background now and then and the list never waits for it.
 */
export function channelLister(service: ServiceApi, logger: Logger): () => ChannelInfo[] {
  let known: ReadonlyMap<string, string> = new Map();
  let refreshedAt = Number.NEGATIVE_INFINITY;
  let pending = false;
  return () => {
    if (!pending && Date.now() - refreshedAt > PURPOSES_TTL_MS) {
      pending = true;
      service
        .channelPurposes()
        .then((value) => {
          known = value;
          refreshedAt = Date.now();
        })
        .catch((err: unknown) => logger.warn({ err }, "could not read what the local channels are for"))
        .finally(() => {
          pending = false;
        });
    }
    return listChannels(service.channelLog, known);
  };
}
