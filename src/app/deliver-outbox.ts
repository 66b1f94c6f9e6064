import { z } from "zod";
import type { Platform } from "../catalog/catalog-schema.ts";
import type { Db } from "../db/db.ts";
import { claimDueDeliveries, markDeliveryFailed, markDeliverySent } from "../db/deliveries-repository.ts";
import type { Message } from "../messages/message.ts";
import type { ChartStore } from "./chart-store.ts";
import type { ChatSender } from "./chat-sender.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

export interface DeliverDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  senders: ReadonlyMap<Platform, ChatSender>;
  charts: ChartStore;
}

/** A platform failure that says whether trying again can help, and when. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DeliveryError";
  }
}

// The message model is produced by our own code; this only guards against rows written by another version.
const payloadSchema = z.object({
  message: z.object({ summary: z.string(), blocks: z.array(z.unknown()) }).loose(),
});

/**
 * Sends what is due in the outbox. Each row was claimed with SKIP LOCKED, so replicas never send the
 * same delivery twice; a failure is retried with backoff unless the platform said it cannot work.
 */
export async function deliverDue(deps: DeliverDeps, limit = 20): Promise<{ sent: number; failed: number }> {
  const claimed = await claimDueDeliveries(deps.db, { now: deps.clock.now(), limit });
  let sent = 0;
  let failed = 0;
  for (const d of claimed) {
    try {
      const sender = deps.senders.get(d.platform as Platform);
      if (!sender)
        throw new DeliveryError(
          `No ${d.platform} connection is configured, so this message cannot be sent.`,
          false,
        );
      const parsed = payloadSchema.safeParse(d.payload);
      if (!parsed.success)
        throw new DeliveryError("The stored message is not in a shape this version can send.", false);
      const message = parsed.data.message as unknown as Message;
      const charts = await deps.charts.renderMessage(message);
      const { messageId } = await sender.send(
        { workspace: d.workspace, platform: d.platform as Platform, channel: d.channel },
        message,
        charts,
      );
      await markDeliverySent(deps.db, d.id, { at: deps.clock.now(), platformMessageId: messageId });
      deps.metrics?.deliveries.inc({ platform: d.platform, outcome: "sent" });
      sent++;
    } catch (error) {
      const known = error instanceof DeliveryError;
      const outcome = await markDeliveryFailed(deps.db, d.id, {
        at: deps.clock.now(),
        error: error instanceof Error ? error.message : String(error),
        retryable: known ? error.retryable : true,
        ...(known && error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
      });
      deps.metrics?.deliveries.inc({
        platform: d.platform,
        outcome: outcome.state === "failed" ? "failed" : "retry",
      });
      deps.logger.warn(
        { delivery: d.id, platform: d.platform, channel: d.channel, state: outcome.state, err: error },
        "delivery failed",
      );
      failed++;
    }
  }
  return { sent, failed };
}
