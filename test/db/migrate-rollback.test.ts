import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  describeLoss,
  describeMigrationStatus,
  migrateDown,
  migrateToLatest,
  planRollback,
  rollbackLosesData,
} from "../../src/db/migrate.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

describe("rolling back migrations", () => {
  it("an empty schema can be rolled back without losing anything", async () => {
    const plan = await planRollback(t.db, 1);
    expect(plan.migrations).toEqual(["20261123_1700_initial"]);
    expect(plan.tables.map((x) => x.name)).toContain("samples");
    expect(rollbackLosesData(plan)).toBe(false);
  });

  it("says which tables hold how many rows, and changes nothing while planning", async () => {
    await sql`insert into audit_log (workspace, actor, action, entity, entity_key, at)
      values ('w', 'a', 'x', 'kpi', 'k', now()), ('w', 'a', 'x', 'kpi', 'k2', now())`.execute(t.db);
    const plan = await planRollback(t.db, "all");
    expect(rollbackLosesData(plan)).toBe(true);
    expect(describeLoss(plan)).toBe("tables audit_log (2 rows)");
    const left = await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(t.db);
    expect(left.rows[0]?.n).toBe(2);
  });

  it("--status after a rollback says what was rolled back, when, and what went", async () => {
    await migrateDown(t.db, 1, { lost: "tables audit_log (2 rows)", now: new Date("2026-11-30T04:00:00Z") });
    expect(await describeMigrationStatus(t.db)).toBe(
      [
        "migrations pending: 20261123_1700_initial",
        "  20261123_1700_initial was rolled back on 2026-11-30 04:00 UTC (lost: tables audit_log (2 rows))",
        "Run `clg migrate` to apply them.",
      ].join("\n"),
    );
    await migrateToLatest(t.db);
    expect(await describeMigrationStatus(t.db)).toBe("migrations: current");
  });
});
