import { sql } from "kysely";
import type { Db } from "./db.ts";
import type { SubscriptionKind, SubscriptionRow } from "./schema.ts";

export interface SubscriptionInput {
  platform: string;
  channel: string;
  kind: SubscriptionKind;
  cron?: string | null;
  timezone?: string | null;
  /** Absent: the workspace's locale (at the time each message is composed). */
  locale?: string | null;
  /** Which KPIs and segment the subscription covers, as stored JSON (the catalog layer validates it). */
  filter?: Readonly<Record<string, unknown>>;
  createdBy: string;
  fromCatalog?: boolean;
  createdAt?: Date;
}

export async function listSubscriptions(
  db: Db,
  workspace: string,
  where: { platform?: string; channel?: string; kind?: SubscriptionKind; fromCatalog?: boolean } = {},
): Promise<SubscriptionRow[]> {
  let q = db.selectFrom("subscriptions").selectAll().where("workspace", "=", workspace);
  if (where.platform !== undefined) q = q.where("platform", "=", where.platform);
  if (where.channel !== undefined) q = q.where("channel", "=", where.channel);
  if (where.kind !== undefined) q = q.where("kind", "=", where.kind);
  if (where.fromCatalog !== undefined) q = q.where("from_catalog", "=", where.fromCatalog);
  return q.orderBy("id").execute();
}

export async function getSubscription(
  db: Db,
  workspace: string,
  id: number,
): Promise<SubscriptionRow | undefined> {
  return db
    .selectFrom("subscriptions")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Canonical JSON (sorted keys) so equal filters compare equal however they were written. */
export function canonicalFilter(filter: Readonly<Record<string, unknown>> | undefined): string {
  const f = (filter ?? {}) as Record<string, unknown>;
  const keys = Object.keys(f)
    .filter((k) => f[k] !== undefined)
    .sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, f[k]])));
}

/** The columns of the unique index `subscriptions_identity`: what makes two subscriptions the same. */
const IDENTITY = sql`workspace, platform, channel, kind, coalesce(cron, ''), coalesce(timezone, ''), filter`;

/**
 * Adds a subscription unless the same one (platform, channel, kind, cron, timezone, filter) exists;
 * asking twice in chat, even at the same moment, gives one subscription: the unique index decides.
 */
export async function addSubscription(
  db: Db,
  workspace: string,
  sub: SubscriptionInput,
): Promise<{ subscription: SubscriptionRow; created: boolean }> {
  const identity = {
    workspace,
    platform: sub.platform,
    channel: sub.channel,
    kind: sub.kind,
    cron: sub.cron ?? null,
    timezone: sub.timezone ?? null,
    filter: canonicalFilter(sub.filter),
  };
  const inserted = await db
    .insertInto("subscriptions")
    .values({
      ...identity,
      locale: sub.locale ?? null,
      created_by: sub.createdBy,
      from_catalog: sub.fromCatalog ?? false,
      ...(sub.createdAt ? { created_at: sub.createdAt } : {}),
    })
    .onConflict((oc) => oc.expression(IDENTITY).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { subscription: inserted, created: true };
  const same = await db
    .selectFrom("subscriptions")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("platform", "=", identity.platform)
    .where("channel", "=", identity.channel)
    .where("kind", "=", identity.kind)
    .where(sql`coalesce(cron, '')`, "=", identity.cron ?? "")
    .where(sql`coalesce(timezone, '')`, "=", identity.timezone ?? "")
    .where(sql<boolean>`filter = ${identity.filter}::jsonb`)
    .executeTakeFirstOrThrow();
  return { subscription: same, created: false };
}

export async function removeSubscription(db: Db, workspace: string, id: number): Promise<boolean> {
  const r = await db
    .deleteFrom("subscriptions")
    .where("workspace", "=", workspace)
    .where("id", "=", id)
    .executeTakeFirst();
  return r.numDeletedRows > 0n;
}

/** Removes a channel's subscriptions (of one kind, or all); returns how many went. */
export async function removeChannelSubscriptions(
  db: Db,
  workspace: string,
  where: { platform: string; channel: string; kind?: SubscriptionKind },
): Promise<number> {
  let q = db
    .deleteFrom("subscriptions")
    .where("workspace", "=", workspace)
    .where("platform", "=", where.platform)
    .where("channel", "=", where.channel);
  if (where.kind !== undefined) q = q.where("kind", "=", where.kind);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Un-pauses a workspace's subscriptions on one platform that were paused for `reason`; returns how many. */
export async function resumePausedSubscriptions(
  db: Db,
  target: { workspace: string; platform: string; reason: string },
): Promise<number> {
  const r = await db
    .updateTable("subscriptions")
    .set({ paused_at: null, paused_reason: null })
    .where("workspace", "=", target.workspace)
    .where("platform", "=", target.platform)
    .where("paused_reason", "=", target.reason)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
