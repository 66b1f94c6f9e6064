import type { Db } from "./db.ts";
import type { SubscriptionKind, SubscriptionRow } from "./schema.ts";

export interface SubscriptionInput {
  platform: string;
  channel: string;
  kind: SubscriptionKind;
  cron?: string | null;
  timezone?: string | null;
  locale?: string;
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

/**
 * Adds a subscription unless the same one (platform, channel, kind, cron, timezone, filter) exists;
 * asking twice in chat gives one subscription.
 */
export async function addSubscription(
  db: Db,
  workspace: string,
  sub: SubscriptionInput,
): Promise<{ subscription: SubscriptionRow; created: boolean }> {
  const cron = sub.cron ?? null;
  const timezone = sub.timezone ?? null;
  const filter = canonicalFilter(sub.filter);
  const same = (
    await listSubscriptions(db, workspace, { platform: sub.platform, channel: sub.channel, kind: sub.kind })
  ).find((s) => s.cron === cron && s.timezone === timezone && canonicalFilter(s.filter) === filter);
  if (same) return { subscription: same, created: false };
  const subscription = await db
    .insertInto("subscriptions")
    .values({
      workspace,
      platform: sub.platform,
      channel: sub.channel,
      kind: sub.kind,
      cron,
      timezone,
      locale: sub.locale ?? "en-US",
      filter,
      created_by: sub.createdBy,
      from_catalog: sub.fromCatalog ?? false,
      ...(sub.createdAt ? { created_at: sub.createdAt } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { subscription, created: true };
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
