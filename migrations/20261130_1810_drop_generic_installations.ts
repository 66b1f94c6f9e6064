import type { Kysely } from "kysely";
import { sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * The first schema kept chat installs in one generic `installations` table (one encrypted blob per workspace
 * and platform). Slack installs live in `slack_installations` (queryable by team and enterprise id) and Teams
 * conversations in `teams_conversations`; nothing writes the generic table, so it goes.
 */
export async function up(db: Db): Promise<void> {
  await db.schema.dropTable("installations").execute();
}

export async function down(db: Db): Promise<void> {
  const now = sql`now()`;
  await db.schema
    .createTable("installations")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("data_ciphertext", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("installations_pk", ["workspace", "platform"])
    .execute();
}
