import { sql } from "kysely";
import { pruneExpiredChartImages } from "./chart-images-repository.ts";
import type { Db } from "./db.ts";

/** Tables pruned by age, with the timestamp column that ages them. The audit log is never pruned. */
const AGED: readonly { table: string; columns: readonly string[] }[] = [
  { table: "schedule_runs", columns: ["claimed_at"] },
  { table: "status_changes", columns: ["at"] },
  // Observations per data day: aged by when they were recorded, whichever column this schema has.
  { table: "observations", columns: ["observed_at", "updated_at", "created_at"] },
];

/**
 * Deletes rows older than `before` from the aged tables that exist in this schema, finished deliveries,
 * and chart images expired at `now`; pending work and the audit log stay. Returns how many rows each
 * table lost.
 */
export async function pruneOldRows(
  db: Db,
  before: Date,
  now: Date = before,
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const { table, columns } of AGED) {
    const present = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = current_schema() and table_name = ${table}`.execute(db);
    const column = columns.find((c) => present.rows.some((r) => r.column_name === c));
    if (!column) continue;
    const r = await sql`delete from ${sql.table(table)} where ${sql.ref(column)} < ${before}`.execute(db);
    removed[table] = Number(r.numAffectedRows ?? 0);
  }
  const r = await db
    .deleteFrom("deliveries")
    .where("state", "in", ["sent", "failed", "skipped"])
    .where("created_at", "<", before)
    .executeTakeFirst();
  removed.deliveries = Number(r.numDeletedRows);
  removed.chart_images = await pruneExpiredChartImages(db, now);
  return removed;
}
