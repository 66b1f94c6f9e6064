import { type Kysely, sql } from "kysely";

// Migrations take Kysely<any>: they describe the schema at one point in time, not today's types.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Db = Kysely<any>;

const now = sql`now()`;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("workspaces")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull().defaultTo("UTC"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();

  await db.schema
    .createTable("sources")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("schedule", "text", (c) => c.notNull())
    .addColumn("config", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("secret_env", "text")
    .addColumn("secret_ciphertext", "text")
    .addColumn("last_polled_at", "timestamptz")
    .addColumn("last_success_at", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("last_error_at", "timestamptz")
    .addColumn("error_notified_at", "timestamptz")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("sources_pk", ["workspace", "name"])
    .execute();

  await db.schema
    .createTable("kpis")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("stage", "text", (c) => c.notNull())
    .addColumn("source", "text")
    .addColumn("definition", "jsonb", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("kpis_pk", ["workspace", "slug"])
    .execute();

  await db.schema
    .createTable("thresholds")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("op", "text", (c) => c.notNull().check(sql`op in ('below', 'above')`))
    .addColumn("value", "double precision", (c) => c.notNull())
    .addColumn("window", "text")
    .addPrimaryKeyConstraint("thresholds_pk", ["workspace", "kpi", "position"])
    .addForeignKeyConstraint("thresholds_kpi_fk", ["workspace", "kpi"], "kpis", ["workspace", "slug"], (c) =>
      c.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("targets")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("value", "double precision", (c) => c.notNull())
    .addColumn("from_day", "date")
    .addPrimaryKeyConstraint("targets_pk", ["workspace", "kpi", "position"])
    .addForeignKeyConstraint("targets_kpi_fk", ["workspace", "kpi"], "kpis", ["workspace", "slug"], (c) =>
      c.onDelete("cascade"),
    )
    .execute();

  // Key order (kpi, day, segment) makes "these KPIs over this day range" one index range scan per KPI.
  await db.schema
    .createTable("samples")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("segment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("day", "date", (c) => c.notNull())
    .addColumn("value", "double precision")
    .addColumn("num", "double precision")
    .addColumn("den", "double precision")
    .addColumn("dist", "jsonb")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("samples_pk", ["workspace", "kpi", "day", "segment"])
    .execute();

  await db.schema
    .createTable("kpi_status")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("window", "text", (c) => c.notNull())
    .addColumn("segment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("since", "timestamptz", (c) => c.notNull())
    .addColumn("pending_status", "text")
    .addColumn("pending_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("value", "double precision")
    .addColumn("evaluated_at", "timestamptz", (c) => c.notNull())
    .addPrimaryKeyConstraint("kpi_status_pk", ["workspace", "kpi", "window", "segment"])
    .execute();

  await db.schema
    .createTable("status_changes")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("window", "text", (c) => c.notNull())
    .addColumn("segment", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('status', 'anomaly', 'forecast')`))
    .addColumn("from_status", "text")
    .addColumn("to_status", "text")
    .addColumn("value", "double precision")
    .addColumn("detail", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("status_changes_workspace_at")
    .on("status_changes")
    .columns(["workspace", "at"])
    .execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('digest', 'alerts')`))
    .addColumn("cron", "text")
    .addColumn("timezone", "text")
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("en-US"))
    .addColumn("filter", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("from_catalog", "boolean", (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema
    .createIndex("subscriptions_workspace")
    .on("subscriptions")
    .columns(["workspace", "platform", "channel"])
    .execute();

  await db.schema
    .createTable("schedule_runs")
    .addColumn("job", "text", (c) => c.notNull())
    .addColumn("slot", "timestamptz", (c) => c.notNull())
    .addColumn("claimed_by", "text", (c) => c.notNull())
    .addColumn("claimed_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("schedule_runs_pk", ["job", "slot"])
    .execute();

  await db.schema
    .createTable("deliveries")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("payload", "jsonb", (c) => c.notNull())
    .addColumn("state", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`state in ('pending', 'sent', 'failed')`),
    )
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("locked_until", "timestamptz")
    .addColumn("last_error", "text")
    .addColumn("platform_message_id", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("sent_at", "timestamptz")
    .execute();
  await db.schema
    .createIndex("deliveries_due")
    .on("deliveries")
    .columns(["state", "next_attempt_at"])
    .where(sql.ref("state"), "=", "pending")
    .execute();

  await db.schema
    .createTable("installations")
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("data_ciphertext", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .addPrimaryKeyConstraint("installations_pk", ["workspace", "platform"])
    .execute();

  await db.schema
    .createTable("mutes")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("kpi", "text", (c) => c.notNull())
    .addColumn("until", "timestamptz", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema.createIndex("mutes_workspace_kpi").on("mutes").columns(["workspace", "kpi"]).execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("workspace", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity", "text", (c) => c.notNull())
    .addColumn("entity_key", "text", (c) => c.notNull())
    .addColumn("before", "jsonb")
    .addColumn("after", "jsonb")
    .addColumn("at", "timestamptz", (c) => c.notNull().defaultTo(now))
    .execute();
  await db.schema
    .createIndex("audit_log_workspace_at")
    .on("audit_log")
    .columns(["workspace", "at"])
    .execute();
}

const TABLES = [
  "audit_log",
  "mutes",
  "installations",
  "deliveries",
  "schedule_runs",
  "subscriptions",
  "status_changes",
  "kpi_status",
  "samples",
  "targets",
  "thresholds",
  "kpis",
  "sources",
  "workspaces",
];

export async function down(db: Db): Promise<void> {
  for (const table of TABLES) await db.schema.dropTable(table).ifExists().execute();
}
