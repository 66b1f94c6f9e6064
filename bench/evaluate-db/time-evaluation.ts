import { historyStart } from "../../src/app/history-range.ts";
import { buildSnapshot, loadFailures, loadStates } from "../../src/app/snapshot.ts";
import type { WorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import type { Db } from "../../src/db/db.ts";
import { loadSamples, loadSegmentSeries } from "../../src/db/samples-repository.ts";
import { evaluateCatalog, indexSamples, lastCompleteDay, TOTAL_SEGMENT } from "../../src/kpi/index.ts";

/** buildSnapshot as the evaluation run calls it (no chart history); its time and how many evaluations it made. */
export async function timeSnapshot(
  db: Db,
  catalog: WorkspaceCatalog,
  now: Date,
): Promise<{ ms: number; evaluations: number }> {
  const t0 = performance.now();
  const snapshot = await buildSnapshot(db, catalog, { now, charts: false });
  return { ms: performance.now() - t0, evaluations: snapshot.evaluations.size };
}

export interface PartFigures {
  /** Samples, stored statuses and source failures from the database, as buildSnapshot reads them. */
  readMs: number;
  indexMs: number;
  evaluateMs: number;
  /** Rows the evaluation read (the days the windows need, not the whole history). */
  rowsRead: number;
  evaluations: number;
  /** The same samples read as one row per sample (the plain query, for comparison with the JSON series). */
  rowReadMs: number;
}

/** buildSnapshot's pieces called one by one, the same way it calls them, each timed. */
export async function timeParts(db: Db, catalog: WorkspaceCatalog, now: Date): Promise<PartFigures> {
  const defs = [...catalog.kpis];
  const asOf = lastCompleteDay(now, catalog.timezone);
  const start = historyStart(defs, (def) => def.windows, asOf, catalog.timezone, false);
  const sourced = defs.filter((d) => d.aggregation.kind !== "formula").map((d) => d.slug);
  const t1 = performance.now();
  const [samples, states, failures] = await Promise.all([
    loadSegmentSeries(db, catalog.workspace, sourced, { start, end: asOf }, TOTAL_SEGMENT),
    loadStates(db, catalog.workspace),
    loadFailures(db, catalog),
  ]);
  const t2 = performance.now();
  const indexes = indexSamples(samples);
  const t3 = performance.now();
  const parts = evaluateCatalog({
    defs,
    indexes,
    states,
    asOf,
    timezone: catalog.timezone,
    now,
    sourceErrors: new Set(failures.keys()),
  });
  const t4 = performance.now();
  const rows = await loadSamples(db, catalog.workspace, sourced, { start, end: asOf }, [TOTAL_SEGMENT]);
  const t5 = performance.now();
  if (rows.length !== samples.length) {
    throw new Error(`The row read found ${rows.length} samples, the series read ${samples.length}`);
  }
  return {
    rowReadMs: t5 - t4,
    readMs: t2 - t1,
    indexMs: t3 - t2,
    evaluateMs: t4 - t3,
    rowsRead: samples.length,
    evaluations: parts.length,
  };
}
