import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "./db.ts";
import type { DeliveryKind, DeliveryRow } from "./schema.ts";

/** Runs `fn` in a transaction, or in the caller's when `db` already is one. */
function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

export interface DeliveryInput {
  idempotencyKey: string;
  workspace: string;
  platform: string;
  channel: string;
  payload: unknown;
  /** `payload` already serialized, when many deliveries carry one message (a minute's shared digest). */
  payloadJson?: string;
  /** post (default), a reply in the parent's thread, or an update (edit) of the parent's message. */
  kind?: DeliveryKind;
  /** Idempotency key of the delivery whose platform message is the thread root / the message to edit. */
  parentKey?: string;
  /** The parent's platform message id, when the caller already has it (no parent row needed). */
  parentMessageId?: string;
  subscriptionId?: number;
  /** Not sent after this time: an alert that old is skipped instead of posted late as if new. */
  staleAt?: Date;
  /** Not before this time (default: now). */
  notBefore?: Date;
  now?: Date;
}

/**
 * Puts a message in the outbox. The same idempotency key twice (a retry, a crash, a second replica)
 * leaves one delivery: `created` is false and the existing row is returned. Takes a transaction too, so a
 * claim (a schedule slot) and its delivery commit together.
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
      payload: d.payloadJson ?? JSON.stringify(d.payload),
      kind: d.kind ?? "post",
      parent_key: d.parentKey ?? null,
      parent_message_id: d.parentMessageId ?? null,
      subscription_id: d.subscriptionId ?? null,
      stale_at: d.staleAt ?? null,
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

/** A delivery held by one worker: only `token` can finish it. */
export interface ClaimedDelivery {
  row: DeliveryRow;
  token: string;
  /** The previous holder's lease ran out while the row was `sending`: it may already be on the platform. */
  uncertain: boolean;
  /** The parent's state and platform message id (null without a parent key or when none was found). */
  parent: { state: DeliveryRow["state"]; platformMessageId: string | null } | null;
}

export interface ClaimOptions {
  now: Date;
  limit: number;
  /** How long the claim holds before another worker may take the row (and its channel) again. */
  leaseMs: number;
  workspace?: string;
}

/**
 * Claims due deliveries, at most one per channel, in one transaction:
 * - a row is due when pending and past its backoff, or `sending` under a lease that ran out;
 * - a child (reply, update) waits while its parent is pending or being sent;
 * - a channel is taken only when its pace allows (`free_at`) and no 429 pause holds; taking it sets
 *   `free_at` to the lease end, so one send per channel is in flight across all replicas;
 * - the row becomes `sending` with a fresh token; the token is what fences an older holder out.
 * Rows locked by a concurrent claim are skipped (`SKIP LOCKED`); channels are taken in key order.
 */
export async function claimDeliveries(db: Db, opts: ClaimOptions): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(opts.now.getTime() + opts.leaseMs);
  return inTransaction(db, async (trx) => {
    const workspaceFilter = opts.workspace === undefined ? sql`` : sql`and d.workspace = ${opts.workspace}`;
    const due = sql`((d.state = 'pending' and d.next_attempt_at <= ${opts.now})
          or (d.state = 'sending' and d.locked_until < ${opts.now}))
        ${workspaceFilter}
        and not exists (
          select 1 from deliveries par
          where d.parent_key is not null and par.idempotency_key = d.parent_key
            and par.state in ('pending', 'sending'))`;
    // Channels first (one send per channel per claim), oldest due first; then the oldest due row in each,
    // so a channel keeps its order after a 429.
    const channels = await sql<{ platform: string; workspace: string; channel: string }>`
      select d.platform, d.workspace, d.channel
      from deliveries d
      where ${due}
        and not exists (
          select 1 from channel_pace p
          where p.platform = d.platform and p.workspace = d.workspace and p.channel = d.channel
            and (p.free_at > ${opts.now} or p.paused_until > ${opts.now}))
      group by d.platform, d.workspace, d.channel
      order by min(d.next_attempt_at)
      limit ${opts.limit}`.execute(trx);
    const picked = channels.rows
      .map((c) => ({ ...c, key: JSON.stringify([c.platform, c.workspace, c.channel]) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

    const claimed: ClaimedDelivery[] = [];
    for (const c of picked) {
      const candidate = await sql<{ id: number; state: DeliveryRow["state"] }>`
        select d.id, d.state from deliveries d
        where d.platform = ${c.platform} and d.workspace = ${c.workspace} and d.channel = ${c.channel}
          and ${due}
        order by d.id
        limit 1
        for update of d skip locked`.execute(trx);
      const first = candidate.rows[0];
      if (!first) continue;
      const taken = await sql<{ ok: number }>`
        insert into channel_pace (platform, workspace, channel, free_at)
        values (${c.platform}, ${c.workspace}, ${c.channel}, ${leaseUntil})
        on conflict (platform, workspace, channel) do update set free_at = excluded.free_at
        where channel_pace.free_at <= ${opts.now}
          and (channel_pace.paused_until is null or channel_pace.paused_until <= ${opts.now})
        returning 1 as ok`.execute(trx);
      if (taken.rows.length === 0) continue;
      const token = randomUUID();
      const row = await trx
        .updateTable("deliveries")
        .set((eb) => ({
          state: "sending",
          claim_token: token,
          locked_until: leaseUntil,
          attempts: eb("attempts", "+", 1),
        }))
        .where("id", "=", first.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const parent = row.parent_key
        ? await trx
            .selectFrom("deliveries")
            .select(["state", "platform_message_id"])
            .where("idempotency_key", "=", row.parent_key)
            .executeTakeFirst()
        : undefined;
      claimed.push({
        row,
        token,
        uncertain: first.state === "sending",
        parent: parent ? { state: parent.state, platformMessageId: parent.platform_message_id } : null,
      });
    }
    return claimed.sort((a, b) => a.row.id - b.row.id);
  });
}

/**
 * Extends the holder's lease (and its hold on the channel). False: the claim was lost to another worker.
 * One statement (a round trip per renewal, the first of them just before each send).
 */
export async function extendLease(
  db: Db,
  claim: { id: number; token: string },
  until: Date,
): Promise<boolean> {
  const r = await sql<{ n: number }>`
    with held as (
      update deliveries set locked_until = ${until}
      where id = ${claim.id} and claim_token = ${claim.token} and state = 'sending'
      returning platform, workspace, channel),
    paced as (
      update channel_pace p set free_at = greatest(p.free_at, ${until})
      from held h
      where p.platform = h.platform and p.workspace = h.workspace and p.channel = h.channel
      returning 1)
    select (select count(*) from held)::int as n, (select count(*) from paced)::int as paced`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

interface Finish {
  id: number;
  token: string;
  at: Date;
  /** When the channel is free again (the platform's answer plus the channel's pace). */
  channelFreeAt: Date;
  /** A 429: nothing goes to the channel before this. */
  channelPausedUntil?: Date;
}

async function releaseChannel(
  trx: Db,
  row: Pick<DeliveryRow, "platform" | "workspace" | "channel">,
  f: Finish,
) {
  await trx
    .updateTable("channel_pace")
    .set({
      free_at: f.channelFreeAt,
      ...(f.channelPausedUntil ? { paused_until: f.channelPausedUntil } : {}),
    })
    .where("platform", "=", row.platform)
    .where("workspace", "=", row.workspace)
    .where("channel", "=", row.channel)
    .execute();
}

/**
 * Marks a delivery sent, only for the holder of the claim token, and frees its channel at `channelFreeAt`,
 * in one statement. False: another worker re-claimed the row after this one's lease ran out, and it (not
 * this one) finishes it.
 */
export async function markDeliverySent(
  db: Db,
  f: Finish & { platformMessageId: string | null },
): Promise<boolean> {
  const r = await sql<{ n: number }>`
    with done as (
      update deliveries set state = 'sent', sent_at = ${f.at}, platform_message_id = ${f.platformMessageId},
        locked_until = null, claim_token = null, last_error = null, failure_reason = null
      where id = ${f.id} and claim_token = ${f.token} and state = 'sending'
      returning platform, workspace, channel),
    freed as (
      update channel_pace p set free_at = ${f.channelFreeAt}
        ${f.channelPausedUntil ? sql`, paused_until = ${f.channelPausedUntil}` : sql``}
      from done d
      where p.platform = d.platform and p.workspace = d.workspace and p.channel = d.channel
      returning 1)
    select (select count(*) from done)::int as n, (select count(*) from freed)::int as freed`.execute(db);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

/** Exponential backoff: 30 s, 1 min, 2 min ... capped at one hour. */
export function deliveryBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Ends one attempt that did not send, for the token holder only: back to pending at `retryAt`, or to a
 * final state (`failed`, or `skipped` for a stale alert / an update without a message to edit). A retry
 * that the platform's rate limit caused does not count as an attempt.
 */
export async function markDeliveryUnsent(
  db: Db,
  f: Finish & {
    error: string;
    reason: string;
    outcome: { state: "pending"; retryAt: Date; countAttempt: boolean } | { state: "failed" | "skipped" };
  },
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const pending = f.outcome.state === "pending" ? f.outcome : null;
    const row = await trx
      .updateTable("deliveries")
      .set((eb) => ({
        state: f.outcome.state,
        last_error: f.error.slice(0, 2000),
        failure_reason: f.reason,
        locked_until: null,
        claim_token: null,
        ...(pending ? { next_attempt_at: pending.retryAt } : {}),
        ...(pending && !pending.countAttempt ? { attempts: eb("attempts", "-", 1) } : {}),
      }))
      .where("id", "=", f.id)
      .where("claim_token", "=", f.token)
      .where("state", "=", "sending")
      .returning(["platform", "workspace", "channel"])
      .executeTakeFirst();
    if (!row) return false;
    await releaseChannel(trx, row, f);
    return true;
  });
}

/**
 * Gives back claims this worker holds but will not finish (shutdown): pending again at once, the channel
 * free, and the attempt not counted. Only rows still under this worker's tokens are touched.
 */
export async function releaseClaims(db: Db, claims: readonly { id: number; token: string }[], now: Date) {
  for (const c of claims) {
    await markDeliveryUnsent(db, {
      ...c,
      at: now,
      channelFreeAt: now,
      error: "released at shutdown",
      reason: "released",
      outcome: { state: "pending", retryAt: now, countAttempt: false },
    });
  }
}

/** Pauses every active subscription of a channel the platform refused for good (archived, bot removed). */
export async function pauseChannelSubscriptions(
  db: Db,
  target: { workspace: string; platform: string; channel: string; reason: string; at: Date },
): Promise<number> {
  const r = await db
    .updateTable("subscriptions")
    .set({ paused_at: target.at, paused_reason: target.reason })
    .where("workspace", "=", target.workspace)
    .where("platform", "=", target.platform)
    .where("channel", "=", target.channel)
    .where("paused_at", "is", null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
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

/** Deliveries per state, the queue depth and the age of the oldest due one, for /metrics. */
export async function outboxGauges(
  db: Db,
  now: Date,
): Promise<{ byState: Record<string, number>; oldestDueSeconds: number }> {
  const rows = await db
    .selectFrom("deliveries")
    .select(["state", sql<number>`count(*)::int`.as("n")])
    .where("state", "in", ["pending", "sending"])
    .groupBy("state")
    .execute();
  const oldest = await db
    .selectFrom("deliveries")
    .select((eb) => eb.fn.min("next_attempt_at").as("at"))
    .where("state", "in", ["pending", "sending"])
    .executeTakeFirst();
  const at = oldest?.at ? new Date(oldest.at as Date | string) : null;
  return {
    byState: Object.fromEntries(rows.map((r) => [r.state, r.n])),
    oldestDueSeconds: at ? Math.max(0, (now.getTime() - at.getTime()) / 1000) : 0,
  };
}

/** Fails the pending rows of a channel the platform refused for good, so none of them knocks again. */
export async function failChannelBacklog(
  db: Db,
  target: { workspace: string; platform: string; channel: string; reason: string; error: string },
): Promise<number> {
  const r = await db
    .updateTable("deliveries")
    .set({ state: "failed", failure_reason: target.reason, last_error: target.error.slice(0, 2000) })
    .where("workspace", "=", target.workspace)
    .where("platform", "=", target.platform)
    .where("channel", "=", target.channel)
    .where("state", "=", "pending")
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The channels of one workspace and platform that have deliveries waiting (pending). */
export async function listPendingChannels(db: Db, workspace: string, platform: string): Promise<string[]> {
  const rows = await db
    .selectFrom("deliveries")
    .select("channel")
    .distinct()
    .where("workspace", "=", workspace)
    .where("platform", "=", platform)
    .where("state", "=", "pending")
    .execute();
  return rows.map((r) => r.channel);
}
