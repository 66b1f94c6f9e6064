import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.ts";
import { migrateDown, migrateToLatest, migrationStatus } from "../../src/db/migrate.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb({ migrate: false });
});
afterAll(async () => {
  await t.close();
});

async function tables(): Promise<string[]> {
  const r = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = ${t.schema} and table_name not like 'kysely_%'
      and table_name <> 'clg_migration_rollbacks' order by table_name`.execute(t.db);
  return r.rows.map((x) => x.table_name);
}

describe("migrations", () => {
  it("apply from empty, report status, roll back to zero and apply again", async () => {
    const names = Object.keys(migrations).sort();
    expect(await migrationStatus(t.db)).toEqual({ current: false, pending: names });

    expect((await migrateToLatest(t.db)).applied).toEqual(names);
    expect(await migrationStatus(t.db)).toEqual({ current: true, pending: [] });
    expect(await tables()).toContain("samples");
    expect(await tables()).toEqual(
      expect.arrayContaining([
        "observations",
        "incidents",
        "incident_notices",
        "alert_keys",
        "teams_conversations",
        "chart_images",
      ]),
    );
    expect(await tables()).toContain("slack_installations");
    expect(await tables()).not.toContain("installations");
    expect(await tables()).toHaveLength(22);
    expect((await migrateToLatest(t.db)).applied).toEqual([]);

    expect((await migrateDown(t.db, "all")).applied).toEqual([...names].reverse());
    expect(await tables()).toEqual([]);
    expect((await migrationStatus(t.db)).pending).toEqual(names);

    await migrateToLatest(t.db);
    expect(await tables()).toHaveLength(22);
  });

  it("stays inside the schema given as search_path", async () => {
    const r = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables
      where table_name = 'kpis' and table_schema = ${t.schema}`.execute(t.db);
    expect(r.rows[0]?.n).toBe(1);
  });
});

describe("migrations beside another schema", () => {
  it("keep their bookkeeping in their own schema when another schema has migrated already", async () => {
    const other = await openTestDb({ migrate: false });
    try {
      // t's schema is migrated; a fresh schema in the same database must still get its own tables.
      expect((await migrationStatus(other.db)).current).toBe(false);
      await migrateToLatest(other.db);
      const r = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.tables
        where table_schema = ${other.schema} and table_name in ('kysely_migration', 'kpis')`.execute(
        other.db,
      );
      expect(r.rows[0]?.n).toBe(2);
    } finally {
      await other.close();
    }
  });
});
