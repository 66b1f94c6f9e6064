import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * Chart PNGs that chat platforms fetch by URL (Teams cards): one row per published image, found by an
 * unguessable token, gone after `expires_at`. In the database, so every replica serves every image and a
 * restart loses none.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("chart_images")
    /** 192 random bits, base64url: the only way to the image. */
    .addColumn("token", "text", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    /** The chart's content id (RenderedChart.id): the same chart published again reuses its row. */
    .addColumn("chart_id", "text", (c) => c.notNull())
    .addColumn("png", "bytea", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull())
    .addColumn("height", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("expires_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("chart_images_chart_idx")
    .on("chart_images")
    .columns(["workspace", "chart_id", "expires_at"])
    .execute();
  await db.schema.createIndex("chart_images_expiry_idx").on("chart_images").column("expires_at").execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("chart_images").execute();
}
