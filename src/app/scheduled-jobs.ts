import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { claimScheduleRun } from "../db/schedule-runs-repository.ts";
import { listSources } from "../db/sources-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { cronFiresAt } from "./cron-slot.ts";
import { deliverDue } from "./deliver-outbox.ts";
import { evaluateWorkspace } from "./evaluate-workspace.ts";
import { notifyAdminsOfFailures } from "./notify-admins.ts";
import { pollSource } from "./poll-source.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog } from "./workspace-catalog.ts";

/**
 * One minute of schedules: every source whose cron fires is polled, every digest whose cron fires is
 * queued. Each (job, minute) is claimed in Postgres first, so with several replicas each runs once.
 */
export async function runMinute(
  rt: Runtime,
  workspace: string,
  slot: Date,
): Promise<{ polled: string[]; digests: number }> {
  const replica = `pid:${process.pid}`;
  let catalog = await loadWorkspaceCatalog(rt.db, workspace);
  const polled: string[] = [];
  for (const row of await listSources(rt.db, workspace)) {
    if (row.kind === "demo" && rt.config.demo === "off") continue;
    if (!cronFiresAt(row.schedule, catalog.timezone, slot)) continue;
    if (!(await claimScheduleRun(rt.db, { job: `poll:${workspace}:${row.name}`, slot, claimedBy: replica })))
      continue;
    const outcome = await pollSource(rt.pollDeps, catalog, row);
    await notifyAdminsOfFailures(rt, workspace, [outcome]);
    polled.push(row.name);
  }
  if (polled.length > 0) {
    catalog = await loadWorkspaceCatalog(rt.db, workspace);
    await evaluateWorkspace(rt, catalog);
  }
  let digests = 0;
  for (const sub of await listSubscriptions(rt.db, workspace, { kind: "digest" })) {
    if (!sub.cron || !cronFiresAt(sub.cron, sub.timezone ?? catalog.timezone, slot)) continue;
    if (!(await claimScheduleRun(rt.db, { job: `digest:${workspace}:${sub.id}`, slot, claimedBy: replica })))
      continue;
    const message = await composeDigest({ ...rt, catalog }, sub.locale, sub.filter as SubscriptionFilter);
    await enqueueDelivery(rt.db, {
      idempotencyKey: `digest:${workspace}:${sub.id}:${slot.toISOString()}`,
      workspace,
      platform: sub.platform,
      channel: sub.channel,
      payload: { message },
      now: rt.clock.now(),
    });
    digests++;
  }
  if (polled.length > 0 || digests > 0) await deliverDue(rt);
  return { polled, digests };
}
