import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * Microsoft Teams: one row per conversation (channel, group chat or personal chat) the bot was added to,
 * keyed by the tenant's workspace. The conversation reference (service URL, conversation, bot) is what a
 * proactive post needs; `paused_at` is set when the bot is removed, and cleared when it is added again.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("teams_conversations")
    .addColumn("workspace", "text", (c) => c.notNull().references("workspaces.id").onDelete("cascade"))
    .addColumn("conversation_id", "text", (c) => c.notNull())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("conversation_type", "text", (c) => c.notNull())
    .addColumn("team_id", "text")
    .addColumn("reference", "jsonb", (c) => c.notNull())
    .addColumn("installed_at", "timestamptz", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull())
    .addColumn("paused_at", "timestamptz")
    .addPrimaryKeyConstraint("teams_conversations_pk", ["workspace", "conversation_id"])
    .execute();
  await db.schema
    .createIndex("teams_conversations_team")
    .on("teams_conversations")
    .columns(["workspace", "team_id"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("teams_conversations").ifExists().execute();
}
