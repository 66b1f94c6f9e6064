import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { type Catalog, catalogSchema } from "../../src/catalog/catalog-schema.ts";
import { writeAudit } from "../../src/db/audit-log-repository.ts";
import { listKpiDefinitions } from "../../src/db/kpis-repository.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

/** More KPIs than one multi-row statement of eight columns can carry under 65,535 parameters. */
function bigCatalog(n: number, red: number): Catalog {
  return catalogSchema.parse({
    kpis: Array.from({ length: n }, (_, i) => ({
      slug: `k${i}`,
      name: `KPI ${i}`,
      stage: "activation",
      unit: "count",
      direction: "up",
      aggregation: { kind: "count" },
      thresholds: [{ status: "red", below: red }],
      targets: [{ period: "month", value: 100 }],
    })),
  });
}

describe("a catalog with 10,000 KPIs", () => {
  it("writes 9,000 audit rows (72,000 values) at once", async () => {
    const entries = Array.from({ length: 9_000 }, (_, i) => ({
      actor: "test",
      action: "catalog.create",
      entity: "probe",
      entityKey: `p${i}`,
      before: null,
      after: { i },
      at: new Date("2026-11-30T00:00:00Z"),
    }));
    await writeAudit(t.db, "audit", entries);
    const n = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_log where workspace = 'audit'`.execute(t.db);
    expect(n.rows[0]?.n).toBe(9_000);
  });

  // Planning 10,000 KPIs is a few seconds of CPU; a busy machine needs more than the default timeout.
  it("applies them in batches under the parameter limit", { timeout: 120_000 }, async () => {
    const apply = (catalog: Catalog) =>
      applyCatalog(t.db, { workspace: "big", catalog, actor: "test", now: new Date("2026-11-30T00:00:00Z") });
    const kpiActions = async (catalog: Catalog) =>
      new Set((await apply(catalog)).items.filter((i) => i.entity === "kpi").map((i) => i.action));
    expect(await kpiActions(bigCatalog(10_000, 6))).toEqual(new Set(["create"]));
    const defs = await listKpiDefinitions(t.db, "big");
    expect(defs).toHaveLength(10_000);
    expect(defs.every((d) => d.thresholds.length === 1 && d.thresholds[0]?.below === 6)).toBe(true);
    const audit = await sql<{ n: number }>`
      select count(*)::int as n from audit_log where workspace = 'big' and entity = 'kpi'`.execute(t.db);
    expect(audit.rows[0]?.n).toBe(10_000);
  });
});
