import type { Db } from "./db.ts";
import type { KpiStatusRow, NewKpiStatus } from "./schema.ts";

export type KpiStatusInput = Omit<NewKpiStatus, "workspace">;

/** Every stored status of a workspace (all KPIs, windows and segments). */
export async function listKpiStatus(db: Db, workspace: string): Promise<KpiStatusRow[]> {
  return db
    .selectFrom("kpi_status")
    .selectAll()
    .where("workspace", "=", workspace)
    .orderBy("kpi")
    .orderBy("window")
    .orderBy("segment")
    .execute();
}

export async function upsertKpiStatus(
  db: Db,
  workspace: string,
  rows: readonly KpiStatusInput[],
): Promise<void> {
  // 10 columns a row: 2,000 rows stay well under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 2000) {
    const values = rows.slice(i, i + 2000).map((r) => ({ ...r, workspace, segment: r.segment ?? "" }));
    await db
      .insertInto("kpi_status")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["workspace", "kpi", "window", "segment"]).doUpdateSet((eb) => ({
          status: eb.ref("excluded.status"),
          since: eb.ref("excluded.since"),
          pending_status: eb.ref("excluded.pending_status"),
          pending_count: eb.ref("excluded.pending_count"),
          value: eb.ref("excluded.value"),
          evaluated_at: eb.ref("excluded.evaluated_at"),
        })),
      )
      .execute();
  }
}

export async function deleteKpiStatus(db: Db, workspace: string, kpis: readonly string[]): Promise<void> {
  if (kpis.length === 0) return;
  await db
    .deleteFrom("kpi_status")
    .where("workspace", "=", workspace)
    .where("kpi", "in", [...kpis])
    .execute();
}
