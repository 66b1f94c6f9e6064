import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { claimScheduleRun, scheduleRunExists } from "../db/schedule-runs-repository.ts";
import type { SubscriptionRow } from "../db/schema.ts";
import { listSources } from "../db/sources-repository.ts";
import { canonicalFilter, listSubscriptions } from "../db/subscriptions-repository.ts";
import type { Message } from "../messages/message.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { cronSlotAt, wallTime } from "./cron-slot.ts";
import { evaluateWorkspace } from "./evaluate-workspace.ts";
import { notifyAdminsOfFailures } from "./notify-admins.ts";
import { pollSource } from "./poll-source.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog, subscriptionLocale, type WorkspaceCatalog } from "./workspace-catalog.ts";

export interface MinuteOptions {
  /**
   * Sources already polled in this run of the minute runner: when it catches up several missed minutes,
   * a source is polled once (its latest data), not once per missed slot.
   */
  polledThisRun?: Set<string>;
  /** Aborted at shutdown: no further source is polled and no further slot claimed (others or a restart take them). */
  signal?: AbortSignal;
}

/**
 * One minute of one workspace's schedules: every source whose cron fires is polled, every digest whose
 * cron fires is queued. A slot is known by its local date and time, so a time that occurs twice on a DST
 * change is one slot, and each slot is claimed in Postgres, so with several replicas each runs once.
 */
export async function runMinute(
  rt: Runtime,
  workspace: string,
  slot: Date,
  opts: MinuteOptions = {},
): Promise<{ polled: string[]; digests: number }> {
  let catalog = await loadWorkspaceCatalog(rt.db, workspace);
  const polled: string[] = [];
  for (const row of await listSources(rt.db, workspace)) {
    if (opts.signal?.aborted) break;
    if (row.kind === "demo" && rt.config.demo === "off") continue;
    if (!cronSlotAt(row.schedule, catalog.timezone, slot)) continue;
    const job = `poll:${workspace}:${row.name}`;
    const claimed = await claimScheduleRun(rt.db, {
      job,
      slot: wallTime(slot, catalog.timezone),
      claimedBy: rt.replicaId,
    });
    if (!claimed || opts.polledThisRun?.has(job)) continue;
    opts.polledThisRun?.add(job);
    const outcome = await pollSource(rt.pollDeps, catalog, row);
    await notifyAdminsOfFailures(rt, workspace, [outcome]);
    polled.push(row.name);
  }
  if (polled.length > 0 && !opts.signal?.aborted) {
    catalog = await loadWorkspaceCatalog(rt.db, workspace);
    await evaluateWorkspace(rt, catalog);
  }
  let digests = 0;
  const composed: DigestCache = new Map();
  for (const sub of await listSubscriptions(rt.db, workspace, { kind: "digest" })) {
    if (opts.signal?.aborted) break;
    if (await queueDigestSlot(rt, catalog, sub, slot, composed)) digests++;
  }
  return { polled, digests };
}

/**
 * Digests composed in this minute, by locale and filter: subscriptions that would get the same message
 * (the same workspace, slot, locale and filter) share one composition instead of reading the data again.
 */
type DigestCache = Map<string, Promise<{ payload: { message: Message }; json: string }>>;

/**
 * Queues one subscription's digest for this minute if its cron fires. The slot's claim and the delivery
 * row commit in one transaction, both keyed by (subscription, local date and time): a crash before the
 * commit leaves neither (the slot is still open for a catch-up), after it leaves both (the outbox sends it).
 */
async function queueDigestSlot(
  rt: Runtime,
  catalog: WorkspaceCatalog,
  sub: SubscriptionRow,
  slot: Date,
  composed: DigestCache,
): Promise<boolean> {
  if (!sub.cron || sub.paused_at) return false;
  const timezone = sub.timezone ?? catalog.timezone;
  const fires = cronSlotAt(sub.cron, timezone, slot);
  if (!fires) return false;
  const run = { job: `digest:${sub.workspace}:${sub.id}`, slot: wallTime(slot, timezone) };
  const locale = subscriptionLocale(catalog, sub);
  const key = `${locale}|${canonicalFilter(sub.filter)}`;
  let pending = composed.get(key);
  if (!pending) {
    // Composing reads the data; skip it when another replica (or an earlier tick) has the slot. Once this
    // digest is composed, the claim below decides alone.
    if (await scheduleRunExists(rt.db, run)) return false;
    pending = composeDigest({ ...rt, catalog }, locale, sub.filter as SubscriptionFilter).then((message) => {
      const payload = { message };
      return { payload, json: JSON.stringify(payload) };
    });
    composed.set(key, pending);
  }
  const digest = await pending;
  const queued = await rt.db.transaction().execute(async (trx) => {
    if (!(await claimScheduleRun(trx, { ...run, claimedBy: rt.replicaId }))) return false;
    await enqueueDelivery(trx, {
      idempotencyKey: `digest:${sub.workspace}:${sub.id}:${fires.localKey}`,
      workspace: sub.workspace,
      platform: sub.platform,
      channel: sub.channel,
      payload: digest.payload,
      payloadJson: digest.json,
      subscriptionId: sub.id,
      now: rt.clock.now(),
    });
    return true;
  });
  if (queued) rt.metrics.scheduleLagSeconds.observe((rt.clock.now().getTime() - slot.getTime()) / 1000);
  return queued;
}
