import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { enqueueDelivery, releaseClaims } from "../db/deliveries-repository.ts";
import { pruneOldRows } from "../db/retention-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { dayInZone } from "../kpi/windows.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { bootstrapWorkspace } from "./bootstrap.ts";
import { deliverDue, type InFlight } from "./deliver-outbox.ts";
import { evaluateWorkspace } from "./evaluate-workspace.ts";
import { minuteRunner } from "./minute-runner.ts";
import { notifyAdminsOfFailures } from "./notify-admins.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog, subscriptionLocale } from "./workspace-catalog.ts";

export interface BackgroundWork {
  /** Resolves once the first start is done (catalog, polls, first evaluation, start digests sent). */
  ready: Promise<void>;
  /**
   * Stops claiming, lets sends in flight finish for up to the configured grace, gives back the claims of
   * those that did not, and resolves once no background job touches the database any more.
   */
  stop(): Promise<void>;
}

/** How often an idle outbox worker looks for due deliveries. */
const OUTBOX_IDLE_MS = 250;
const PRUNE_EVERY_MS = 3_600_000;

/** What a local channel subscribed to the digest sees on the first start of each day. */
async function queueStartDigests(rt: Runtime): Promise<void> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const day = dayInZone(rt.clock.now(), catalog.timezone);
  for (const sub of await listSubscriptions(rt.db, rt.config.workspace, {
    kind: "digest",
    platform: "local",
  })) {
    if (sub.paused_at) continue;
    const message = await composeDigest(
      { ...rt, catalog },
      subscriptionLocale(catalog, sub),
      sub.filter as SubscriptionFilter,
    );
    await enqueueDelivery(rt.db, {
      idempotencyKey: `digest-on-start:${rt.config.workspace}:${sub.id}:${day}`,
      workspace: rt.config.workspace,
      platform: "local",
      channel: sub.channel,
      payload: { message },
      subscriptionId: sub.id,
      now: rt.clock.now(),
    });
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", wake);
      resolve();
    }, ms);
    signal.addEventListener("abort", wake, { once: true });
  });

/**
 * The service's own work beside answering requests: the first start (catalog, polls, first evaluation,
 * start digests), then three loops: the minute runner (schedules of every workspace, aligned to the
 * minute), the outbox worker, and pruning of old rows.
 */
export function startBackgroundWork(rt: Runtime): BackgroundWork {
  let markReady: () => void = () => {};
  let failReady: (e: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => {});

  const stopping = new AbortController();
  const inFlight: InFlight = new Map();
  const loops: Promise<void>[] = [];
  let outboxLoop: Promise<void> = Promise.resolve();

  const loop = (what: string, body: () => Promise<number>) =>
    (async () => {
      while (!stopping.signal.aborted) {
        let wait: number;
        try {
          wait = await body();
        } catch (err) {
          rt.logger.error({ err, job: what }, "background job failed; it runs again on its next tick");
          wait = 5_000;
        }
        await sleep(wait, stopping.signal);
      }
    })();

  const schedules = minuteRunner(rt, stopping.signal);
  const start = (async () => {
    const boot = await bootstrapWorkspace(rt.pollDeps, rt.config);
    if (boot.catalogApplied)
      rt.logger.info({ file: boot.catalogApplied }, "catalog applied to the empty workspace");
    await notifyAdminsOfFailures(rt, rt.config.workspace, boot.polls);
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
    await queueStartDigests(rt);
    await deliverDue(rt, { inFlight });
    if (stopping.signal.aborted) return;
    markReady();
    loops.push(
      loop("schedules", async () => {
        const retrySoon = await schedules.tick();
        // Wake just after the next minute starts, or soon when a minute failed (the database went away).
        const untilNextMinute = 60_000 - (rt.clock.now().getTime() % 60_000) + 50;
        return retrySoon ? Math.min(5_000, untilNextMinute) : untilNextMinute;
      }),
      loop("prune", async () => {
        const now = rt.clock.now();
        const before = new Date(now.getTime() - rt.config.retentionDays * 86_400_000);
        const removed = await pruneOldRows(rt.db, before, now);
        rt.logger.debug({ removed }, "old rows pruned");
        return PRUNE_EVERY_MS;
      }),
    );
    outboxLoop = loop("outbox", async () => {
      const r = await deliverDue(rt, { inFlight });
      return r.claimed > 0 ? 0 : OUTBOX_IDLE_MS;
    });
  })().catch((err) => {
    failReady(err);
    rt.logger.error({ err }, "start-up failed");
  });

  return {
    ready,
    async stop() {
      stopping.abort();
      // Sends in flight may finish within the grace; what does not is given back, under its own token.
      const grace = new Promise<"late">((resolve) =>
        setTimeout(() => resolve("late"), rt.config.shutdownGraceMs).unref(),
      );
      const finished = await Promise.race([
        Promise.all([start, outboxLoop]).then(() => "done" as const),
        grace,
      ]);
      const unstarted = [...inFlight.values()].filter((c) => !c.started);
      if (finished === "late" && unstarted.length > 0) {
        const claims = unstarted;
        rt.logger.warn(
          { deliveries: claims.length },
          "sends still in flight at shutdown; their claims are released",
        );
        // Bounded too: a row lock held by a stalled session must not hold the shutdown.
        const bound = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
        await Promise.race([
          releaseClaims(rt.db, claims, rt.clock.now()).catch((err) =>
            rt.logger.error({ err }, "could not release claims; their leases will expire"),
          ),
          bound,
        ]);
      }
      // The other loops stop at their next step (the minute runner between subscriptions, pruning between
      // tables); a tick in progress gets a short bound of its own before the database closes.
      const ticks = new Promise<void>((resolve) => setTimeout(resolve, 2_000).unref());
      await Promise.race([Promise.all(loops), ticks]);
    },
  };
}
