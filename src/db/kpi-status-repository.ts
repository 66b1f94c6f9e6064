import { sql } from "kysely";
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
  // 13 columns a row: 2,000 rows stay well under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 2000) {
    const values = rows.slice(i, i + 2000).map((r) => ({
      ...r,
      workspace,
      segment: r.segment ?? "",
      ...(r.state != null ? { state: JSON.stringify(r.state) } : {}),
      ...(r.base != null ? { base: JSON.stringify(r.base) } : {}),
    }));
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
          day: eb.ref("excluded.day"),
          state: eb.ref("excluded.state"),
          base: eb.ref("excluded.base"),
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

type StatusJson = [string, string, unknown, unknown];

/** A stored row: the status machine's state after the latest data day and the one before it (as stored). */
export interface StoredStatusRow {
  kpi: string;
  window: string;
  state: unknown;
  base: unknown;
}

/**
 * The stored states of one segment ("" = the whole) of a workspace, of the KPIs given or of every KPI.
 * Read as one JSON array: an
 * evaluation run reads every KPI's statuses (60,000 rows for 10,000 KPIs in six windows), and one row
 * per status costs several times more in the driver, most of all on PGlite.
 */
export async function listSegmentStatus(
  db: Db,
  workspace: string,
  segment = "",
  kpis?: readonly string[],
): Promise<StoredStatusRow[]> {
  if (kpis?.length === 0) return [];
  const only = kpis ? sql`and kpi in (${sql.join(kpis)})` : sql``;
  const { rows } = await sql<{ statuses: string | null }>`
    select json_agg(json_build_array(kpi, "window", state, base))::text as statuses
    from kpi_status where workspace = ${workspace} and segment = ${segment} and state is not null ${only}
  `.execute(db);
  const list = JSON.parse(rows[0]?.statuses ?? "[]") as StatusJson[];
  return list.map(([kpi, window, state, base]) => ({ kpi, window, state, base }));
}
