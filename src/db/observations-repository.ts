import type { Insertable } from "kysely";
import type { Db } from "./db.ts";
import type { ObservationRow, ObservationsTable } from "./schema.ts";

export type ObservationInput = Omit<Insertable<ObservationsTable>, "workspace">;

/** One row per (KPI, window, segment, data day); evaluating the same day again replaces it. */
export async function upsertObservations(
  db: Db,
  workspace: string,
  rows: readonly ObservationInput[],
): Promise<void> {
  // 9 columns a row: 5,000 rows stay under PostgreSQL's 65,535 parameters.
  for (let i = 0; i < rows.length; i += 5000) {
    await db
      .insertInto("observations")
      .values(rows.slice(i, i + 5000).map((r) => ({ ...r, workspace })))
      .onConflict((oc) =>
        oc.columns(["workspace", "kpi", "window", "segment", "day"]).doUpdateSet((eb) => ({
          value: eb.ref("excluded.value"),
          observed: eb.ref("excluded.observed"),
          confirmed: eb.ref("excluded.confirmed"),
          evaluated_at: eb.ref("excluded.evaluated_at"),
        })),
      )
      .execute();
  }
}

export async function listObservations(
  db: Db,
  workspace: string,
  key: { kpi: string; window: string; segment?: string },
): Promise<ObservationRow[]> {
  return db
    .selectFrom("observations")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("kpi", "=", key.kpi)
    .where("window", "=", key.window)
    .where("segment", "=", key.segment ?? "")
    .orderBy("day")
    .execute();
}
