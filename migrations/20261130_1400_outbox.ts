import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * The fenced outbox: a delivery has a kind (post, reply in a thread, update of an earlier message) and may
 * name the delivery whose platform message is its parent; a claim carries a token and a lease; `sending`
 * marks a row a worker holds. Channels get a pace (next free time, 429 pause). Subscriptions can be paused
 * by a permanent platform error; workspaces carry their own admins, admin channel and locale.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("deliveries")
    .addColumn("kind", "text", (c) =>
      c.notNull().defaultTo("post").check(sql`kind in ('post', 'reply', 'update')`),
    )
    .addColumn("parent_key", "text")
    .addColumn("parent_message_id", "text")
    .addColumn("stale_at", "timestamptz")
    .addColumn("claim_token", "text")
    .addColumn("subscription_id", "bigint")
    .addColumn("failure_reason", "text")
    .execute();
  await sql`alter table deliveries drop constraint if exists deliveries_state_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_state_check check (state in ('pending', 'sending', 'sent', 'failed', 'skipped'))`.execute(
    db,
  );
  await db.schema.dropIndex("deliveries_due").ifExists().execute();
  await db.schema
    .createIndex("deliveries_due")
    .on("deliveries")
    .columns(["next_attempt_at", "id"])
    .where(sql.ref("state"), "in", sql`('pending', 'sending')`)
    .execute();
  await db.schema.createIndex("deliveries_parent_key").on("deliveries").column("parent_key").execute();
  await db.schema.createIndex("deliveries_sent_at").on("deliveries").columns(["state", "sent_at"]).execute();

  await db.schema
    .createTable("channel_pace")
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("free_at", "timestamptz", (c) => c.notNull())
    .addColumn("paused_until", "timestamptz")
    .addPrimaryKeyConstraint("channel_pace_pk", ["platform", "workspace", "channel"])
    .execute();

  await db.schema
    .alterTable("subscriptions")
    .addColumn("paused_at", "timestamptz")
    .addColumn("paused_reason", "text")
    .execute();

  await db.schema
    .alterTable("workspaces")
    .addColumn("admins", "jsonb")
    .addColumn("admin_platform", "text")
    .addColumn("admin_channel", "text")
    .addColumn("locale", "text")
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema
    .alterTable("workspaces")
    .dropColumn("admins")
    .dropColumn("admin_platform")
    .dropColumn("admin_channel")
    .dropColumn("locale")
    .execute();
  await db.schema.alterTable("subscriptions").dropColumn("paused_at").dropColumn("paused_reason").execute();
  await db.schema.dropTable("channel_pace").execute();
  await db.schema.dropIndex("deliveries_sent_at").execute();
  await db.schema.dropIndex("deliveries_parent_key").execute();
  await db.schema.dropIndex("deliveries_due").execute();
  await sql`update deliveries set state = 'pending' where state = 'sending'`.execute(db);
  await sql`update deliveries set state = 'failed' where state = 'skipped'`.execute(db);
  await sql`alter table deliveries drop constraint if exists deliveries_state_check`.execute(db);
  await sql`alter table deliveries add constraint deliveries_state_check check (state in ('pending', 'sent', 'failed'))`.execute(
    db,
  );
  await db.schema
    .createIndex("deliveries_due")
    .on("deliveries")
    .columns(["state", "next_attempt_at"])
    .where(sql.ref("state"), "=", "pending")
    .execute();
  await db.schema
    .alterTable("deliveries")
    .dropColumn("kind")
    .dropColumn("parent_key")
    .dropColumn("parent_message_id")
    .dropColumn("stale_at")
    .dropColumn("claim_token")
    .dropColumn("subscription_id")
    .dropColumn("failure_reason")
    .execute();
}
