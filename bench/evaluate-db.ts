import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { sql } from "kysely";
import { buildWorkspaceCatalog } from "../src/app/workspace-catalog.ts";
import { type OpenedDatabase, openDatabase } from "../src/db/database.ts";
import { seedDatabase } from "./evaluate-db/seed-database.ts";
import { timeParts, timeSnapshot } from "./evaluate-db/time-evaluation.ts";
import { NOW, syntheticKpis, TIMEZONE } from "./synthetic-kpis.ts";

export interface Result {
  database: "pglite" | "postgres";
  kpis: number;
  /** Rows stored (DAYS per KPI that has a source; formula KPIs store none). */
  samples: number;
  /** Rows the evaluation reads: only the days its windows, trends and anomalies need. */
  rowsRead: number;
  evaluations: number;
  /** Setup, not the figure: writing the samples. */
  loadMs: number;
  loadRowsPerSec: number;
  /** buildSnapshot's pieces, timed one by one in a warm pass. */
  readMs: number;
  indexMs: number;
  evaluateMs: number;
  /** readMs + indexMs + evaluateMs. */
  totalMs: number;
  /** The same samples read as one row per sample: what the JSON series read saves. */
  rowReadMs: number;
  /** buildSnapshot timed whole (median of warm runs); the figure the goal is about. */
  snapshotMs: number;
  coldSnapshotMs: number;
  /** snapshotMs against the smallest size on the same database (null for the smallest). */
  growth: number | null;
  /** totalMs against the smallest size on the same database (null for the smallest). */
  partsGrowth: number | null;
  /** Resident memory of this process after the timed runs, MB. */
  rssMb: number;
  /** One-minute load average when the timed runs ended. */
  load: number;
}

export interface EvaluateDbBenchOptions {
  sizes?: number[];
  print?: (line: string) => void;
  /** PostgreSQL to use; defaults to BENCH_DATABASE_URL, TEST_DATABASE_URL, then a local server. */
  postgresUrl?: string;
  /** Timed passes per size, the first being cold (default 3). */
  runs?: number;
}

const WORKSPACE = "bench";
const DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test";

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const ms = (x: number) => `${Math.round(x)}`.padStart(7);
const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);
const ratio = (x: number | null) => (x === null ? "-" : `${x.toFixed(1)}x`).padStart(6);

async function measure(
  opened: OpenedDatabase,
  kpiCount: number,
  runs: number,
  print: (line: string) => void,
): Promise<Omit<Result, "growth" | "partsGrowth">> {
  const defs = syntheticKpis(kpiCount);
  const seed = await seedDatabase(opened.db, WORKSPACE, defs, {
    concurrency: opened.kind === "postgres" ? 2 : 1,
  });
  // What autovacuum does after a bulk load; without it the first plans guess at an empty table.
  await sql`analyze samples`.execute(opened.db);
  const loadRowsPerSec = Math.round(seed.samples / (seed.samplesMs / 1000));
  print(
    `  ${opened.kind} ${kpiCount} KPIs setup: migrate ${seed.migrateMs} ms, KPIs+statuses ${seed.kpisMs} ms, ` +
      `${seed.samples} samples in ${seed.samplesMs} ms (${loadRowsPerSec} rows/s)`,
  );
  const catalog = buildWorkspaceCatalog(WORKSPACE, TIMEZONE, defs);
  const snapshots: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms: t, evaluations } = await timeSnapshot(opened.db, catalog, NOW);
    snapshots.push(t);
    print(
      `    run ${i + 1}${i === 0 ? " (cold)" : ""}: buildSnapshot ${Math.round(t)} ms, ${evaluations} evaluations ` +
        `(load avg ${loadavg()[0]?.toFixed(1)}, rss ${rssMb()} MB)`,
    );
  }
  // One more warm pass, piece by piece, to show where the time goes (a full pass costs as much as a run).
  const parts = await timeParts(opened.db, catalog, NOW);
  const total = parts.readMs + parts.indexMs + parts.evaluateMs;
  print(
    `    parts: read ${Math.round(parts.readMs)} (${parts.rowsRead} rows) + index ${Math.round(parts.indexMs)} + ` +
      `evaluate ${Math.round(parts.evaluateMs)} = ${Math.round(total)} ms; ` +
      `read as one row per sample ${Math.round(parts.rowReadMs)} ms (rss ${rssMb()} MB)`,
  );
  return {
    database: opened.kind,
    kpis: kpiCount,
    samples: seed.samples,
    rowsRead: parts.rowsRead,
    evaluations: parts.evaluations,
    loadMs: seed.samplesMs,
    loadRowsPerSec,
    readMs: parts.readMs,
    indexMs: parts.indexMs,
    evaluateMs: parts.evaluateMs,
    totalMs: total,
    rowReadMs: parts.rowReadMs,
    snapshotMs: median(snapshots.length > 1 ? snapshots.slice(1) : snapshots),
    coldSnapshotMs: snapshots[0] as number,
    load: loadavg()[0] ?? 0,
    rssMb: rssMb(),
  };
}

/** Opens a fresh database for one size; null (with a printed note) when PostgreSQL is unreachable. */
async function openFresh(
  kind: Result["database"],
  url: string,
  print: (line: string) => void,
): Promise<{ opened: OpenedDatabase; dispose: () => Promise<void> } | null> {
  if (kind === "pglite") {
    const opened = await openDatabase({ dataDir: null });
    return { opened, dispose: () => opened.close() };
  }
  const schema = `bench_eval_${randomBytes(4).toString("hex")}`;
  let opened: OpenedDatabase;
  try {
    opened = await openDatabase({ url, searchPath: schema, connectTimeoutMs: 3000, maxConnections: 4 });
  } catch (e) {
    print(`  postgres skipped: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
  return {
    opened,
    dispose: async () => {
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(opened.db);
      } finally {
        await opened.close();
      }
    },
  };
}

export function formatResult(r: Result): string {
  return (
    `${r.database.padEnd(8)} ${String(r.kpis).padStart(6)} ${String(r.samples).padStart(8)} ` +
    `${String(r.rowsRead).padStart(8)} ${ms(r.readMs)} ${ms(r.indexMs)} ${ms(r.evaluateMs)} ${ms(r.totalMs)} ` +
    `${ratio(r.partsGrowth)} ${ms(r.snapshotMs)} ${ratio(r.growth)} ${ms(r.rowReadMs)} ` +
    `${r.load.toFixed(1).padStart(5)}`
  );
}

export const RESULT_HEADER =
  "database   KPIs  samples rowsread read ms indexms eval ms totalms growth snap ms growth row ms  load";

/**
 * Time the evaluation the application runs (buildSnapshot: read samples, statuses and failures, index,
 * evaluate every KPI in every window) on PGlite in memory and on PostgreSQL, for each size.
 */
export async function runEvaluateDbBench(opts: EvaluateDbBenchOptions = {}): Promise<Result[]> {
  const sizes = opts.sizes ?? [1_000, 10_000];
  const print = opts.print ?? console.log;
  const runs = opts.runs ?? 3;
  const url =
    opts.postgresUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_PG;
  const results: Result[] = [];
  print(
    `evaluation on a database: ${sizes.join(", ")} KPIs, ${runs} runs each (first cold), load avg ${loadavg()[0]?.toFixed(1)}`,
  );
  for (const kind of ["pglite", "postgres"] as const) {
    let first: Result | undefined;
    for (const size of sizes) {
      const fresh = await openFresh(kind, url, print);
      if (!fresh) break;
      try {
        const r = await measure(fresh.opened, size, runs, print);
        const result: Result = {
          ...r,
          growth: first ? r.snapshotMs / first.snapshotMs : null,
          partsGrowth: first ? r.totalMs / first.totalMs : null,
        };
        first ??= result;
        results.push(result);
      } finally {
        await fresh.dispose();
      }
    }
  }
  print(RESULT_HEADER);
  for (const r of results) print(formatResult(r));
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runEvaluateDbBench({});
}
