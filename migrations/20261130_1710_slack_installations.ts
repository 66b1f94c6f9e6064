import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * Slack installations (OAuth, one row per workspace or org-wide install), queryable by team and enterprise
 * id as Bolt's installation store asks. An id Slack did not send is stored as '' so the unique index holds
 * on PostgreSQL before 15 too (NULLs would count as distinct). The bot token and the full installation
 * are encrypted (secret-box, CLG_SECRET_KEY); ids and names are not secrets and stay readable.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("slack_installations")
    .addColumn("id", "serial", (c) => c.primaryKey())
    .addColumn("team_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("enterprise_id", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("is_enterprise_install", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("team_name", "text")
    .addColumn("enterprise_name", "text")
    .addColumn("app_id", "text")
    .addColumn("bot_id", "text")
    .addColumn("bot_user_id", "text")
    .addColumn("bot_scopes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("installer_user_id", "text")
    .addColumn("bot_token_ciphertext", "text")
    .addColumn("installation_ciphertext", "text", (c) => c.notNull())
    .addColumn("installed_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("slack_installations_team")
    .on("slack_installations")
    .columns(["team_id", "enterprise_id"])
    .unique()
    .execute();
  await db.schema
    .createIndex("slack_installations_workspace")
    .on("slack_installations")
    .column("workspace")
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("slack_installations").ifExists().execute();
}
