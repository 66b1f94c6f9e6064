import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * One subscription per identity (platform, channel, kind, cron, timezone, filter): the database decides,
 * so parallel `subscribe` commands cannot both insert. Duplicates a race left behind are merged first,
 * keeping the oldest row (its deliveries and schedule runs refer to it).
 */
export async function up(db: Db): Promise<void> {
  await sql`
    delete from subscriptions s using subscriptions older
    where older.workspace = s.workspace and older.platform = s.platform and older.channel = s.channel
      and older.kind = s.kind and coalesce(older.cron, '') = coalesce(s.cron, '')
      and coalesce(older.timezone, '') = coalesce(s.timezone, '') and older.filter = s.filter
      and older.id < s.id`.execute(db);
  await sql`
    create unique index subscriptions_identity on subscriptions
      (workspace, platform, channel, kind, coalesce(cron, ''), coalesce(timezone, ''), filter)`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropIndex("subscriptions_identity").ifExists().execute();
}
