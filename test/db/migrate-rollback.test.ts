import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../migrations/index.ts";
import {
  describeLoss,
  describeMigrationStatus,
  migrateDown,
  migrateToLatest,
  planRollback,
  rollbackLosesData,
} from "../../src/db/migrate.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

const names = Object.keys(migrations).sort();
let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

describe("rolling back migrations", () => {
  it("an empty schema can be rolled back without losing anything", async () => {
    const plan = await planRollback(t.db, "all");
    expect(plan.migrations).toEqual([...names].reverse());
    expect(plan.tables.map((x) => x.name)).toContain("samples");
    expect(rollbackLosesData(plan)).toBe(false);
  });

  it("a later migration's rollback names the columns it would empty", async () => {
    await sql`insert into subscriptions (workspace, platform, channel, kind, locale, filter, created_by)
      values ('w', 'local', 'growth', 'alerts', 'en-US', '{}', 'me')`.execute(t.db);
    // Back to before the outbox migration, which added subscriptions.paused_at.
    const from = names.indexOf("20261130_1400_outbox");
    const plan = await planRollback(t.db, names.length - from);
    expect(plan.migrations).toEqual(names.slice(from).reverse());
    expect(plan.tables).toEqual(plan.tables.filter((x) => x.rows === 0));
    expect(describeLoss(plan)).toMatch(/^columns .*subscriptions\.paused_at \(1 row\)/);
    await sql`delete from subscriptions`.execute(t.db);
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
    await migrateDown(t.db, "all", {
      lost: "tables audit_log (2 rows)",
      now: new Date("2026-11-30T04:00:00Z"),
    });
    expect(await describeMigrationStatus(t.db)).toBe(
      [
        `migrations pending: ${names.join(", ")}`,
        ...names.map(
          (n) => `  ${n} was rolled back on 2026-11-30 04:00 UTC (lost: tables audit_log (2 rows))`,
        ),
        "Run `clg migrate` to apply them.",
      ].join("\n"),
    );
    await migrateToLatest(t.db);
    expect(await describeMigrationStatus(t.db)).toBe("migrations: current");
  });
});
