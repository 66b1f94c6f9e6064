import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * A subscription's locale becomes optional: one without follows its workspace's locale (from the catalog's
 * `workspace.locale` or the install). Stored rows keep the locale they have.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("subscriptions")
    .alterColumn("locale", (c) => c.dropNotNull())
    .execute();
  await db.schema
    .alterTable("subscriptions")
    .alterColumn("locale", (c) => c.dropDefault())
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.updateTable("subscriptions").set({ locale: "en-US" }).where("locale", "is", null).execute();
  await db.schema
    .alterTable("subscriptions")
    .alterColumn("locale", (c) => c.setDefault("en-US"))
    .execute();
  await db.schema
    .alterTable("subscriptions")
    .alterColumn("locale", (c) => c.setNotNull())
    .execute();
}
