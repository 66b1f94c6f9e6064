import { canonicalFilter } from "../db/subscriptions-repository.ts";

/** What identifies a subscription across files and the database; only `locale` can change in place. */
export function subscriptionKey(s: {
  platform: string;
  channel: string;
  kind: string;
  cron?: string | null | undefined;
  timezone?: string | null | undefined;
  filter?: Record<string, unknown> | undefined;
}): string {
  return [s.platform, s.channel, s.kind, s.cron ?? "", s.timezone ?? "", canonicalFilter(s.filter)].join(
    " | ",
  );
}
