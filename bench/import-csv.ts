import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { importSamplesCsv } from "../src/catalog/import-samples-csv.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { addDays } from "../src/kpi/days.ts";
import { kpiDefinitionSchema } from "../src/kpi/definition.ts";

const DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test";

/** A CSV of `kpis` x `days` rows (kpi, day, value), written to a file as it is generated. */
async function writeCsv(path: string, kpis: number, days: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r()));
  await write("kpi,day,value\n");
  for (let k = 0; k < kpis; k++) {
    let chunk = "";
    for (let d = 0; d < days; d++) chunk += `k${k},${addDays("2000-01-01", d)},${(k * 7 + d) % 1000}\n`;
    await write(chunk);
  }
  await new Promise<void>((r) => out.end(() => r()));
}

/**
 * `npm run bench import`: a million-row CSV imported into PostgreSQL through the streaming importer,
 * with this process's peak resident memory sampled while it runs.
 */
export async function runImportBench(
  opts: { kpis?: number; days?: number; print?: (line: string) => void; url?: string } = {},
): Promise<{ rows: number; ms: number; peakRssMb: number; baseRssMb: number }> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const kpis = opts.kpis ?? 1_000;
  const days = opts.days ?? 1_000;
  const dir = await mkdtemp(join(tmpdir(), "clg-import-bench-"));
  const file = join(dir, "samples.csv");
  await writeCsv(file, kpis, days);
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const url = opts.url ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_PG;
  const opened = await openDatabase({ url, searchPath: schema });
  try {
    await migrateToLatest(opened.db);
    const defs = Array.from({ length: kpis }, (_, k) =>
      kpiDefinitionSchema.parse({
        slug: `k${k}`,
        name: `K ${k}`,
        stage: "activation",
        unit: "count",
        direction: "up",
        aggregation: { kind: "count" },
      }),
    );
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peak = baseRss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const r = await importSamplesCsv(opened.db, {
      workspace: "bench",
      input: createReadStream(file),
      kpis: defs,
      onBatch: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
    const ms = performance.now() - started;
    clearInterval(sampler);
    const mb = (b: number) => Math.round(b / 1_048_576);
    print(
      `${r.rows} rows (${kpis} KPIs x ${days} days) in ${(ms / 1000).toFixed(1)} s · ${Math.round(r.rows / (ms / 1000))} rows/s · RSS ${mb(baseRss)} MB before, ${mb(peak)} MB peak · load ${loadavg()[0]?.toFixed(1)}`,
    );
    return { rows: r.rows, ms, peakRssMb: mb(peak), baseRssMb: mb(baseRss) };
  } finally {
    await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(opened.db);
    await opened.close();
    await rm(dir, { recursive: true, force: true });
  }
}
