import cron from "node-cron";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { dayInZone } from "../kpi/windows.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { bootstrapWorkspace } from "./bootstrap.ts";
import { deliverDue } from "./deliver-outbox.ts";
import { evaluateWorkspace } from "./evaluate-workspace.ts";
import { minuteRunner } from "./minute-runner.ts";
import { notifyAdminsOfFailures } from "./notify-admins.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog } from "./workspace-catalog.ts";

export interface BackgroundWork {
  /** Resolves once the first start is done (catalog, polls, first evaluation, start digests sent). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/** What a local channel subscribed to the digest sees on the first start of each day. */
async function queueStartDigests(rt: Runtime): Promise<void> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const day = dayInZone(rt.clock.now(), catalog.timezone);
  for (const sub of await listSubscriptions(rt.db, rt.config.workspace, {
    kind: "digest",
    platform: "local",
  })) {
    const message = await composeDigest({ ...rt, catalog }, sub.locale, sub.filter as SubscriptionFilter);
    await enqueueDelivery(rt.db, {
      idempotencyKey: `digest-on-start:${rt.config.workspace}:${sub.id}:${day}`,
      workspace: rt.config.workspace,
      platform: "local",
      channel: sub.channel,
      payload: { message },
      now: rt.clock.now(),
    });
  }
}

/**
 * The service's own work beside answering requests: the first start (catalog, polls, first evaluation,
 * start digests), then the minute ticker (schedules) and the outbox worker.
 */
export function startBackgroundWork(rt: Runtime): BackgroundWork {
  let markReady: () => void = () => {};
  let failReady: (e: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => {});

  let ticker: ReturnType<typeof cron.schedule> | null = null;
  let outbox: NodeJS.Timeout | null = null;
  let stopping = false;
  const guard = (what: string, job: () => Promise<unknown>) => async () => {
    if (stopping) return;
    try {
      await job();
    } catch (err) {
      rt.logger.error({ err, job: what }, "background job failed; it runs again on its next tick");
    }
  };

  const schedules = minuteRunner(rt);
  let sending = false;
  // An interval never stacks sends: a slow platform delays the next batch instead of doubling it.
  const outboxWorker = async () => {
    if (sending) return;
    sending = true;
    try {
      await deliverDue(rt);
    } finally {
      sending = false;
    }
  };

  (async () => {
    const boot = await bootstrapWorkspace(rt.pollDeps, rt.config);
    if (boot.catalogApplied)
      rt.logger.info({ file: boot.catalogApplied }, "catalog applied to the empty workspace");
    await notifyAdminsOfFailures(rt, rt.config.workspace, boot.polls);
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
    await queueStartDigests(rt);
    await deliverDue(rt);
    if (stopping) return;
    markReady();
    ticker = cron.schedule("* * * * *", guard("schedules", schedules.tick));
    outbox = setInterval(guard("outbox", outboxWorker), 2_000);
  })().catch((err) => {
    failReady(err);
    rt.logger.error({ err }, "start-up failed");
  });

  return {
    ready,
    async stop() {
      stopping = true;
      await ticker?.stop();
      if (outbox) clearInterval(outbox);
    },
  };
}
