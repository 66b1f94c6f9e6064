import type { Db } from "../../src/db/db.ts";
import { upsertKpiStatus } from "../../src/db/kpi-status-repository.ts";
import { saveKpiDefinition } from "../../src/db/kpis-repository.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import type { KpiDefinition } from "../../src/kpi/definition.ts";
import { NOW, random, samplesFor, TIMEZONE } from "../synthetic-kpis.ts";

export interface SeedFigures {
  migrateMs: number;
  kpisMs: number;
  samples: number;
  samplesMs: number;
}

/** Samples are generated a few KPIs at a time so the whole history never sits in memory at once. */
const CHUNK_ROWS = 80_000;

/**
 * A fresh workspace holding `defs`, DAYS days of samples per stored KPI, and a remembered status for
 * every KPI and window (so flap control reads stored states as it does in production).
 */
export async function seedDatabase(
  db: Db,
  workspace: string,
  defs: readonly KpiDefinition[],
  opts: { concurrency: number },
): Promise<SeedFigures> {
  const t0 = performance.now();
  await migrateToLatest(db);
  await ensureWorkspace(db, { id: workspace, timezone: TIMEZONE });
  const t1 = performance.now();
  await db.transaction().execute(async (tx) => {
    for (const [i, def] of defs.entries()) await saveKpiDefinition(tx, workspace, def, i, NOW);
  });
  const since = new Date(NOW.getTime() - 86_400_000);
  await upsertKpiStatus(
    db,
    workspace,
    defs.flatMap((def) =>
      def.windows.map((window) => ({
        kpi: def.slug,
        window,
        segment: "",
        status: "green",
        since,
        pending_status: null,
        pending_count: 0,
        value: null,
        evaluated_at: since,
      })),
    ),
  );
  const t2 = performance.now();
  const rnd = random(42);
  let samples = 0;
  let chunk: ReturnType<typeof samplesFor> = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    await upsertSamples(db, workspace, chunk, { concurrency: opts.concurrency });
    samples += chunk.length;
    chunk = [];
  };
  for (const def of defs) {
    for (const s of samplesFor(def, rnd)) chunk.push(s);
    if (chunk.length >= CHUNK_ROWS) await flush();
  }
  await flush();
  const t3 = performance.now();
  return {
    migrateMs: Math.round(t1 - t0),
    kpisMs: Math.round(t2 - t1),
    samples,
    samplesMs: Math.round(t3 - t2),
  };
}
