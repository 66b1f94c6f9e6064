import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations describe the schema at one point in time
type Db = Kysely<any>;

const CATALOG_TABLES = ["kpis", "thresholds", "targets"] as const;

/**
 * `workspaces.catalog_version`: changes whenever the workspace's catalog does (a KPI, threshold or target
 * written, updated or deleted, or the workspace's timezone or locale changed), in the same transaction, whoever writes (the
 * service, a CLI, another replica, SQL by hand). A process keeps a workspace's catalog in memory and
 * reads only this number per question. Values come from a sequence, so a version once seen is never
 * handed out again, not even after a rollback.
 */
export async function up(db: Db): Promise<void> {
  await sql`create sequence catalog_versions`.execute(db);
  await sql`alter table workspaces add column catalog_version bigint not null default nextval('catalog_versions')`.execute(
    db,
  );
  await sql`
    create function clg_catalog_changed() returns trigger language plpgsql as $$
    begin
      if tg_op in ('INSERT', 'UPDATE') then
        update workspaces set catalog_version = nextval('catalog_versions')
          where id in (select distinct workspace from new_rows);
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        update workspaces set catalog_version = nextval('catalog_versions')
          where id in (select distinct workspace from old_rows);
      end if;
      return null;
    end $$`.execute(db);
  for (const table of CATALOG_TABLES) {
    const t = sql.id(table);
    await sql`create trigger ${sql.id(`${table}_catalog_insert`)} after insert on ${t}
      referencing new table as new_rows for each statement execute function clg_catalog_changed()`.execute(
      db,
    );
    await sql`create trigger ${sql.id(`${table}_catalog_update`)} after update on ${t}
      referencing old table as old_rows new table as new_rows
      for each statement execute function clg_catalog_changed()`.execute(db);
    await sql`create trigger ${sql.id(`${table}_catalog_delete`)} after delete on ${t}
      referencing old table as old_rows for each statement execute function clg_catalog_changed()`.execute(
      db,
    );
  }
  await sql`
    create function clg_workspace_settings_changed() returns trigger language plpgsql as $$
    begin
      new.catalog_version := nextval('catalog_versions');
      return new;
    end $$`.execute(db);
  await sql`create trigger workspaces_settings_changed before update of timezone, locale on workspaces
    for each row when (old.timezone is distinct from new.timezone or old.locale is distinct from new.locale)
    execute function clg_workspace_settings_changed()`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await sql`drop trigger workspaces_settings_changed on workspaces`.execute(db);
  await sql`drop function clg_workspace_settings_changed()`.execute(db);
  for (const table of CATALOG_TABLES)
    for (const op of ["insert", "update", "delete"])
      await sql`drop trigger ${sql.id(`${table}_catalog_${op}`)} on ${sql.id(table)}`.execute(db);
  await sql`drop function clg_catalog_changed()`.execute(db);
  await sql`alter table workspaces drop column catalog_version`.execute(db);
  await sql`drop sequence catalog_versions`.execute(db);
}
