import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

const now = sql`now()`;

/**
 * Status per data day, incidents and what each channel was told about them, and keys that make anomaly and
 * forecast alerts unique. `kpi_status` keeps one row per (KPI, window, segment) and now stores the status
 * machine's state after the latest data day and the state before it, so a second run on the same day
 * starts from the same place.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("kpi_status")
    .addColumn("day", "text")
    .addColumn("state", "jsonb")
    .addColumn("base", "jsonb")
    .execute();

  await db.schema
    .createTable("observations")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("window", "text", (c) => c.notNull())
    .addColumn("segment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("value", "double precision")
    .addColumn("observed", "text", (c) => c.notNull())
    .addColumn("confirmed", "text")
    .addColumn("evaluated_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("observations_pk", ["workspace", "kpi", "window", "segment", "day"])
    .execute();

  await db.schema
    .createTable("incidents")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("window", "text", (c) => c.notNull())
    .addColumn("segment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("worst", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("opened_at", "timestamptz", (c) => c.notNull())
    .addColumn("resolved_at", "timestamptz")
    .addColumn("acked_by", "text")
    .addColumn("acked_at", "timestamptz")
    .addColumn("snoozed_by", "text")
    .addColumn("snoozed_until", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  // At most one open incident per KPI, window and segment: two replicas cannot open two.
  await sql`create unique index incidents_open on incidents (workspace, kpi, "window", segment)
    where resolved_at is null`.execute(db);

  await db.schema
    .createTable("incident_notices")
    .addColumn("incident_id", "bigint", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('post', 'reply')`))
    .addColumn("delivery_key", "text", (c) => c.notNull())
    .addColumn("root_key", "text", (c) => c.notNull())
    .addColumn("message", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    // What makes "each channel hears each change once" hold, whoever runs the evaluation.
    .addPrimaryKeyConstraint("incident_notices_pk", ["incident_id", "platform", "channel", "seq"])
    .execute();

  await db.schema
    .createTable("alert_keys")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("alert_keys_pk", ["workspace", "kind", "kpi", "key"])
    .execute();
}

export async function down(db: Db): Promise<void> {
  for (const table of ["alert_keys", "incident_notices", "incidents", "observations"])
    await db.schema.dropTable(table).ifExists().execute();
  await db.schema.alterTable("kpi_status").dropColumn("day").dropColumn("state").dropColumn("base").execute();
}
