import { sql } from "kysely";
import type { Db } from "./db.ts";
import type { KpiWatermarkRow } from "./schema.ts";

/** The fetched days of each KPI (by slug) in the workspace; a KPI never fetched has no row. */
export async function loadWatermarks(
  db: Db,
  workspace: string,
  kpis: readonly string[],
): Promise<Map<string, KpiWatermarkRow>> {
  if (kpis.length === 0) return new Map();
  const rows = await db
    .selectFrom("kpi_watermarks")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("kpi", "in", [...kpis])
    .execute();
  return new Map(rows.map((r) => [r.kpi, r]));
}

/** Widens each KPI's fetched range by the days just fetched (never narrows it). */
export async function extendWatermarks(
  db: Db,
  workspace: string,
  source: string,
  ranges: readonly { kpi: string; since: string; until: string }[],
): Promise<void> {
  if (ranges.length === 0) return;
  await sql`
    insert into kpi_watermarks as w (workspace, kpi, source, fetched_from, fetched_until)
    select ${workspace}, u.kpi, ${source}, u.since, u.until
    from unnest(${ranges.map((r) => r.kpi)}::text[], ${ranges.map((r) => r.since)}::date[],
                ${ranges.map((r) => r.until)}::date[]) as u(kpi, since, until)
    on conflict (workspace, kpi) do update
      set source = excluded.source,
          fetched_from = least(w.fetched_from, excluded.fetched_from),
          fetched_until = greatest(w.fetched_until, excluded.fetched_until),
          updated_at = now()
  `.execute(db);
}
