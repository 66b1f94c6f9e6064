import { sql } from "kysely";
import type { Db } from "./db.ts";
import type { DeliveryRow } from "./schema.ts";

export interface DeliveryInput {
  idempotencyKey: string;
  workspace: string;
  platform: string;
  channel: string;
  payload: unknown;
  /** Not before this time (default: now). */
  notBefore?: Date;
  now?: Date;
}

/**
 * Puts a message in the outbox. The same idempotency key twice (a retry, a crash, a second replica)
 * leaves one delivery: `created` is false and the existing row is returned.
 */
export async function enqueueDelivery(
  db: Db,
  d: DeliveryInput,
): Promise<{ delivery: DeliveryRow; created: boolean }> {
  const inserted = await db
    .insertInto("deliveries")
    .values({
      idempotency_key: d.idempotencyKey,
      workspace: d.workspace,
      platform: d.platform,
      channel: d.channel,
      payload: JSON.stringify(d.payload),
      ...(d.notBefore ? { next_attempt_at: d.notBefore } : d.now ? { next_attempt_at: d.now } : {}),
      ...(d.now ? { created_at: d.now } : {}),
    })
    .onConflict((oc) => oc.column("idempotency_key").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { delivery: inserted, created: true };
  const existing = await db
    .selectFrom("deliveries")
    .selectAll()
    .where("idempotency_key", "=", d.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { delivery: existing, created: false };
}

/**
 * Takes up to `limit` due deliveries for this worker. Rows locked by another worker's claim are skipped
 * (`FOR UPDATE SKIP LOCKED`), and a claimed row carries a lease (`locked_until`) so a crashed worker's
 * deliveries become due again once it runs out. `attempts` counts the claim.
 */
export async function claimDueDeliveries(
  db: Db,
  opts: { now: Date; limit: number; leaseMs?: number; workspace?: string },
): Promise<DeliveryRow[]> {
  const leaseUntil = new Date(opts.now.getTime() + (opts.leaseMs ?? 60_000));
  const rows = await db
    .updateTable("deliveries")
    .set((eb) => ({ locked_until: leaseUntil, attempts: eb("attempts", "+", 1) }))
    .where("id", "in", (eb) => {
      let q = eb
        .selectFrom("deliveries")
        .select("id")
        .where("state", "=", "pending")
        .where("next_attempt_at", "<=", opts.now)
        .where((w) => w.or([w("locked_until", "is", null), w("locked_until", "<", opts.now)]));
      if (opts.workspace !== undefined) q = q.where("workspace", "=", opts.workspace);
      return q.orderBy("next_attempt_at").orderBy("id").limit(opts.limit).forUpdate().skipLocked();
    })
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.id - b.id);
}

export async function markDeliverySent(
  db: Db,
  id: number,
  result: { at: Date; platformMessageId?: string | null },
): Promise<void> {
  await db
    .updateTable("deliveries")
    .set({
      state: "sent",
      sent_at: result.at,
      platform_message_id: result.platformMessageId ?? null,
      locked_until: null,
      last_error: null,
    })
    .where("id", "=", id)
    .execute();
}

/** Exponential backoff: 30 s, 1 min, 2 min ... capped at one hour. */
export function deliveryBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Records a failed send. A retryable failure with attempts left goes back to pending after the backoff
 * (or `retryAfterMs` when the platform said so); otherwise the delivery is failed for good.
 */
export async function markDeliveryFailed(
  db: Db,
  id: number,
  failure: { at: Date; error: string; retryable: boolean; maxAttempts?: number; retryAfterMs?: number },
): Promise<{ state: "pending" | "failed"; nextAttemptAt: Date | null }> {
  const row = await db
    .selectFrom("deliveries")
    .select("attempts")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const retry = failure.retryable && row.attempts < (failure.maxAttempts ?? 6);
  const next = retry
    ? new Date(failure.at.getTime() + (failure.retryAfterMs ?? deliveryBackoffMs(row.attempts)))
    : null;
  await db
    .updateTable("deliveries")
    .set({
      state: retry ? "pending" : "failed",
      last_error: failure.error.slice(0, 2000),
      locked_until: null,
      ...(next ? { next_attempt_at: next } : {}),
    })
    .where("id", "=", id)
    .execute();
  return { state: retry ? "pending" : "failed", nextAttemptAt: next };
}

export async function listDeliveries(
  db: Db,
  workspace: string,
  opts: { state?: DeliveryRow["state"]; channel?: string; limit?: number } = {},
): Promise<DeliveryRow[]> {
  let q = db.selectFrom("deliveries").selectAll().where("workspace", "=", workspace);
  if (opts.state) q = q.where("state", "=", opts.state);
  if (opts.channel) q = q.where("channel", "=", opts.channel);
  return q
    .orderBy("id")
    .limit(opts.limit ?? 1000)
    .execute();
}

/** Pending deliveries per state, for /metrics. */
export async function countDeliveriesByState(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom("deliveries")
    .select(["state", sql<number>`count(*)::int`.as("n")])
    .groupBy("state")
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
