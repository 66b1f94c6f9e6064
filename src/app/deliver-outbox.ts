import { z } from "zod";
import type { Platform } from "../catalog/catalog-schema.ts";
import type { Db } from "../db/db.ts";
import {
  type ClaimedDelivery,
  claimDeliveries,
  extendLease,
  failChannelBacklog,
  markDeliverySent,
  markDeliveryUnsent,
  pauseChannelSubscriptions,
} from "../db/deliveries-repository.ts";
import type { Message } from "../messages/message.ts";
import type { ChartStore } from "./chart-store.ts";
import { type ChatSender, type Destination, paceIntervalMs, type SendRef } from "./chat-sender.ts";
import type { Clock } from "./clock.ts";
import { DeliveryError, decideDeliveryFailure } from "./delivery-error.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { notifyAdminsOfUnreachableChannel } from "./notify-admins.ts";

export { DeliveryError } from "./delivery-error.ts";

export interface OutboxSettings {
  /** How long a claim holds without renewal; the worker renews it every third of that while it sends. */
  leaseMs: number;
  maxAttempts: number;
}

export const DEFAULT_OUTBOX: OutboxSettings = { leaseMs: 60_000, maxAttempts: 6 };

export interface DeliverDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  senders: ReadonlyMap<Platform, ChatSender>;
  charts: ChartStore;
  /** Where each workspace's admins are told about channels that cannot be reached. */
  adminDestination?: (workspace: string) => Promise<Destination | null>;
  outbox?: OutboxSettings;
}

/**
 * Claims this process holds right now, so a shutdown can give back what it will not finish. `started`: the
 * request is out; such a claim is not given back (its lease runs out and the next holder asks the
 * platform whether it arrived), since releasing it would invite a second post.
 */
export type InFlight = Map<number, { id: number; token: string; started: boolean }>;

// The message model is produced by our own code; this only guards against rows written by another version.
const payloadSchema = z.object({
  message: z.object({ summary: z.string(), blocks: z.array(z.unknown()) }).loose(),
});

export interface DeliverResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
  /** Claims lost to another worker (this one's lease ran out); that worker finishes them. */
  fenced: number;
}

/**
 * Sends what is due in the outbox: claims (one row per channel, paced, fenced by a token), sends the claims
 * side by side, and finishes each one under its token. Call it again for more; `claimed: 0` means nothing
 * was due or every due channel is still paced.
 */
export async function deliverDue(
  deps: DeliverDeps,
  opts: { limit?: number; inFlight?: InFlight } = {},
): Promise<DeliverResult & { claimed: number }> {
  const settings = deps.outbox ?? DEFAULT_OUTBOX;
  const claims = await claimDeliveries(deps.db, {
    now: deps.clock.now(),
    limit: opts.limit ?? 20,
    leaseMs: settings.leaseMs,
  });
  const result: DeliverResult = { sent: 0, retried: 0, failed: 0, skipped: 0, fenced: 0 };
  await Promise.all(
    claims.map(async (claim) => {
      const entry = { id: claim.row.id, token: claim.token, started: false };
      opts.inFlight?.set(claim.row.id, entry);
      try {
        result[await deliverOne(deps, settings, claim, () => (entry.started = true))]++;
      } catch (err) {
        // The database went away mid-finish: the lease runs out and another claim finishes the row.
        deps.logger.error({ err, delivery: claim.row.id }, "delivery not finished; its lease will expire");
      } finally {
        opts.inFlight?.delete(claim.row.id);
      }
    }),
  );
  return { ...result, claimed: claims.length };
}

type Outcome = keyof DeliverResult;

async function deliverOne(
  deps: DeliverDeps,
  settings: OutboxSettings,
  claim: ClaimedDelivery,
  onSendStart: () => void,
): Promise<Outcome> {
  const d = claim.row;
  const sender = deps.senders.get(d.platform as Platform);
  const pace = sender ? paceIntervalMs(sender.limits) : 0;
  const base = { id: d.id, token: claim.token };
  const destination: Destination = {
    workspace: d.workspace,
    platform: d.platform as Platform,
    channel: d.channel,
  };
  const label = { platform: d.platform };

  const finishUnsent = async (
    state: "failed" | "skipped",
    reason: string,
    error: string,
  ): Promise<Outcome> => {
    const now = deps.clock.now();
    const ok = await markDeliveryUnsent(deps.db, {
      ...base,
      at: now,
      channelFreeAt: now,
      error,
      reason,
      outcome: { state },
    });
    if (!ok) return "fenced";
    deps.metrics?.deliveries.inc({ ...label, outcome: state, reason });
    deps.logger.warn(
      { delivery: d.id, platform: d.platform, channel: d.channel, reason },
      `delivery ${state}: ${error}`,
    );
    return state;
  };

  if (!sender) return finishUnsent("failed", "no_sender", `No ${d.platform} connection is configured.`);
  if (d.stale_at && deps.clock.now() > new Date(d.stale_at))
    return finishUnsent("skipped", "stale", "Too old to be sent as news; skipped instead of posted late.");
  const parsed = payloadSchema.safeParse(d.payload);
  if (!parsed.success)
    return finishUnsent(
      "failed",
      "bad_payload",
      "The stored message is not in a shape this version can send.",
    );

  let ref: SendRef = { kind: d.kind, idempotencyKey: d.idempotency_key };
  if (d.kind !== "post") {
    const parentId =
      d.parent_message_id ?? (claim.parent?.state === "sent" ? claim.parent.platformMessageId : null) ?? null;
    if (parentId) ref = { ...ref, parentMessageId: parentId };
    else if (d.kind === "update")
      return finishUnsent(
        "skipped",
        "parent_unsent",
        "The message to update was never sent; the update is dropped.",
      );
    else {
      deps.logger.info(
        { delivery: d.id, parent: d.parent_key },
        "thread root was never sent; the reply goes out as a post",
      );
      ref = { kind: "post", idempotencyKey: d.idempotency_key };
    }
  }

  // A previous holder died while sending: ask the platform before posting again.
  if (claim.uncertain && sender.findSent) {
    const found = await sender.findSent(destination, d.idempotency_key);
    if (found) {
      const now = deps.clock.now();
      const ok = await markDeliverySent(deps.db, {
        ...base,
        at: now,
        channelFreeAt: now,
        platformMessageId: found.messageId,
      });
      if (ok) deps.metrics?.deliveries.inc({ ...label, outcome: "sent", reason: "reconciled" });
      return ok ? "sent" : "fenced";
    }
  }

  const message = parsed.data.message as unknown as Message;
  const charts = await deps.charts.renderMessage(message);
  const renew = () => extendLease(deps.db, base, new Date(deps.clock.now().getTime() + settings.leaseMs));
  // The fence before the network: a worker that was paused past its lease finds its claim gone here.
  if (!(await renew())) {
    deps.metrics?.deliveries.inc({ ...label, outcome: "fenced", reason: "lease_lost" });
    return "fenced";
  }
  const heartbeat = setInterval(() => {
    renew().catch((err) => deps.logger.warn({ err, delivery: d.id }, "could not renew the delivery lease"));
  }, settings.leaseMs / 3);
  const started = deps.clock.now();
  onSendStart();
  let messageId: string;
  try {
    ({ messageId } = await sender.send(destination, message, charts, ref));
  } catch (error) {
    clearInterval(heartbeat);
    return finishFailed(deps, settings, claim, error, { started, pace, destination });
  }
  clearInterval(heartbeat);
  // The channel's next send starts a full pace after this answer, not after this request started: the
  // platform counts arrivals, and a request that travelled slower than the next one would otherwise
  // arrive closer to it than the limit allows.
  const answered = deps.clock.now();
  // The message is out: from here on a failure to record it must never turn into a retry (a second
  // post). If the database stays unreachable, the row keeps its lease; the next claim finds it
  // uncertain and asks the platform (findSent) before posting again.
  let ok: boolean;
  try {
    ok = await withRetries(() =>
      markDeliverySent(deps.db, {
        ...base,
        at: deps.clock.now(),
        channelFreeAt: new Date(answered.getTime() + pace),
        platformMessageId: messageId,
      }),
    );
  } catch (err) {
    deps.logger.error(
      { err, delivery: d.id },
      "sent, but the send could not be recorded; the next claim reconciles it with the platform",
    );
    deps.metrics?.deliveries.inc({ ...label, outcome: "fenced", reason: "record_failed" });
    return "fenced";
  }
  if (!ok) {
    deps.metrics?.deliveries.inc({ ...label, outcome: "fenced", reason: "lease_lost" });
    deps.logger.warn(
      { delivery: d.id },
      "sent, but the claim had passed to another worker; it records the send",
    );
    return "fenced";
  }
  deps.metrics?.deliveries.inc({ ...label, outcome: "sent", reason: "" });
  return "sent";
}

/** Recording a send survives a dropped connection or two (the pool reconnects). */
async function withRetries<T>(write: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * i));
    }
  }
}

async function finishFailed(
  deps: DeliverDeps,
  settings: OutboxSettings,
  claim: ClaimedDelivery,
  error: unknown,
  ctx: { started: Date; pace: number; destination: Destination },
): Promise<Outcome> {
  const d = claim.row;
  const now = deps.clock.now();
  const decision = decideDeliveryFailure(error, {
    attempts: d.attempts,
    maxAttempts: settings.maxAttempts,
    now,
  });
  const reason = error instanceof DeliveryError ? (error.platformCode ?? error.reason) : "unexpected";
  const text = error instanceof Error ? error.message : String(error);
  // The failed request reached the platform too: the next one keeps a full pace after its answer.
  const paceFree = new Date(now.getTime() + ctx.pace);
  const ok =
    decision.action === "retry"
      ? await markDeliveryUnsent(deps.db, {
          id: d.id,
          token: claim.token,
          at: now,
          channelFreeAt: decision.pauseChannel ? decision.at : paceFree,
          ...(decision.pauseChannel ? { channelPausedUntil: decision.at } : {}),
          error: text,
          reason,
          outcome: { state: "pending", retryAt: decision.at, countAttempt: decision.countAttempt },
        })
      : await markDeliveryUnsent(deps.db, {
          id: d.id,
          token: claim.token,
          at: now,
          channelFreeAt: paceFree,
          error: text,
          reason,
          outcome: { state: "failed" },
        });
  if (!ok) return "fenced";
  const outcome = decision.action === "retry" ? "retried" : "failed";
  // The metric counts the platform-neutral class (a bounded set); the row and the log keep the platform's code.
  const kind = error instanceof DeliveryError ? error.reason : "unexpected";
  deps.metrics?.deliveries.inc({ platform: d.platform, outcome, reason: kind });
  deps.logger.warn(
    { delivery: d.id, platform: d.platform, channel: d.channel, reason, outcome, err: error },
    "delivery not sent",
  );
  if (decision.action === "fail" && decision.pauseSubscriptions) {
    const target = { workspace: d.workspace, platform: d.platform, channel: d.channel };
    await pauseChannelSubscriptions(deps.db, { ...target, reason, at: now });
    await failChannelBacklog(deps.db, { ...target, reason, error: text });
  }
  if (decision.action === "fail" && decision.notifyAdmins && deps.adminDestination) {
    await notifyAdminsOfUnreachableChannel(deps, ctx.destination, { reason, error: text });
  }
  return outcome;
}
