import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

/**
 * Each polled KPI remembers the days it has fetched, so a KPI added to an old source gets its own
 * backfill; each source remembers up to which day its data is final.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("kpi_watermarks")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    /** The first day fetched (history reaches back to here). */
    .addColumn("fetched_from", "date", (c) => c.notNull())
    /** The last day fetched. */
    .addColumn("fetched_until", "date", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("kpi_watermarks_pk", ["workspace", "kpi"])
    .execute();
  await db.schema.alterTable("sources").addColumn("complete_through", "date").execute();
}

export async function down(db: Db): Promise<void> {
  await db.schema.alterTable("sources").dropColumn("complete_through").execute();
  await db.schema.dropTable("kpi_watermarks").execute();
}
