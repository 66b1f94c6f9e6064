import { describeFilter } from "../app/answers/subscription-answers.ts";
import type { Runtime } from "../app/runtime.ts";
import { loadWorkspaceCatalog } from "../app/workspace-catalog.ts";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import type { SubscriptionRow } from "../db/schema.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { localChannel } from "./local-channel.ts";

/** "0 9 * * 1" reads as a weekly digest: the day fields say how often, the rest says when. */
export function digestCadence(cron: string | null): string {
  const fields = (cron ?? "").trim().split(/\s+/);
  if (fields.length !== 5) return "the digest";
  const [, , dayOfMonth, month, dayOfWeek] = fields;
  if (month !== "*") return "the digest";
  if (dayOfMonth !== "*") return "the monthly digest";
  if (dayOfWeek !== "*")
    return dayOfWeek?.includes("-") || dayOfWeek?.includes(",") ? "the digest" : "the weekly digest";
  return "the daily digest";
}

function purposeOf(sub: SubscriptionRow, describe: (f: SubscriptionFilter) => string): string {
  if (sub.kind === "digest") return digestCadence(sub.cron);
  return `alerts on ${describe(sub.filter as SubscriptionFilter)}`;
}

/**
 * What each local channel is for, from the subscriptions and the admin channel, so the preview page can
 * say "#growth — the weekly digest" before anything was posted there.
 */
export async function describeLocalChannels(rt: Runtime): Promise<Map<string, string>> {
  const [catalog, subs] = await Promise.all([
    loadWorkspaceCatalog(rt.db, rt.config.workspace),
    listSubscriptions(rt.db, rt.config.workspace, { platform: "local" }),
  ]);
  const parts = new Map<string, string[]>();
  const add = (channel: string, purpose: string) => {
    const name = localChannel(channel);
    const list = parts.get(name) ?? [];
    if (!list.includes(purpose)) list.push(purpose);
    parts.set(name, list);
  };
  for (const sub of subs)
    add(
      sub.channel,
      purposeOf(sub, (f) => describeFilter({ catalog }, f)),
    );
  add(rt.config.adminChannel, "source failures");
  return new Map([...parts].map(([name, list]) => [name, list.join(" · ")]));
}
