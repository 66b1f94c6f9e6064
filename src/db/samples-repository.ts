import { sql } from "kysely";
import type { Sample } from "../kpi/sample.ts";
import type { DayRange } from "../kpi/window.ts";
import type { Db } from "./db.ts";

const BATCH = 20_000;

export interface UpsertSamplesResult {
  /** Rows inserted or changed; rows identical to what is stored are left alone. */
  written: number;
}

/**
 * Inserts or replaces samples in batches (not atomic as a whole unless `db` is a transaction). Each batch is one statement whose rows travel as eight arrays
 * (`unnest`), so a batch costs eight parameters however many rows it has; rows equal to the stored ones
 * are not rewritten (and not counted).
 */
export async function upsertSamples(
  db: Db,
  workspace: string,
  samples: readonly Sample[],
  opts: { batchSize?: number; concurrency?: number } = {},
): Promise<UpsertSamplesResult> {
  const size = opts.batchSize ?? BATCH;
  // Batches may run on several pooled connections at once (PGlite queues them); inside a transaction
  // they must share its connection. Concurrent batches give up "the last one wins" between batches, so
  // it is for bulk loads whose kpi + segment + day keys do not repeat.
  const workers = db.isTransaction ? 1 : Math.max(1, opts.concurrency ?? 1);
  let next = 0;
  let written = 0;
  const work = async () => {
    while (next < samples.length) {
      const start = next;
      next += size;
      const n = await upsertBatch(db, workspace, samples.slice(start, start + size));
      written += n;
    }
  };
  await Promise.all(Array.from({ length: workers }, work));
  return { written };
}

/** One row per kpi + segment + day, the last one winning (one statement cannot update a row twice). */
function lastPerKey(batch: readonly Sample[]): readonly Sample[] {
  const byKey = new Map<string, Sample>();
  for (const s of batch) byKey.set(`${s.kpi}\u0000${s.segment}\u0000${s.day}`, s);
  return byKey.size === batch.length ? batch : [...byKey.values()];
}

async function upsertBatch(db: Db, workspace: string, rows: readonly Sample[]): Promise<number> {
  if (rows.length === 0) return 0;
  const batch = lastPerKey(rows);
  const kpi: string[] = [];
  const segment: string[] = [];
  const day: string[] = [];
  const value: (number | null)[] = [];
  const num: (number | null)[] = [];
  const den: (number | null)[] = [];
  const dist: (string | null)[] = [];
  for (const s of batch) {
    kpi.push(s.kpi);
    segment.push(s.segment);
    day.push(s.day);
    value.push(s.value);
    num.push(s.num);
    den.push(s.den);
    dist.push(s.dist === null ? null : JSON.stringify(s.dist));
  }
  const result = await sql`
    insert into samples as s (workspace, kpi, segment, day, value, num, den, dist)
    select ${workspace}, u.kpi, u.segment, u.day, u.value, u.num, u.den, u.dist::jsonb
    from unnest(${kpi}::text[], ${segment}::text[], ${day}::date[], ${value}::float8[], ${num}::float8[],
                ${den}::float8[], ${dist}::text[]) as u(kpi, segment, day, value, num, den, dist)
    on conflict (workspace, kpi, day, segment) do update
      set value = excluded.value, num = excluded.num, den = excluded.den, dist = excluded.dist,
          updated_at = now()
      where (s.value, s.num, s.den, s.dist) is distinct from (excluded.value, excluded.num, excluded.den, excluded.dist)
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/**
 * Samples of the given KPIs whose day lies in `range` (inclusive), ordered by kpi, segment, day.
 * `segments` limits the segments returned; without it every segment is returned ("" is the total).
 */
export async function loadSamples(
  db: Db,
  workspace: string,
  kpis: readonly string[],
  range: DayRange,
  segments?: readonly string[],
): Promise<Sample[]> {
  if (kpis.length === 0 || segments?.length === 0) return [];
  let q = db
    .selectFrom("samples")
    .select(["kpi", "segment", "day", "value", "num", "den", "dist"])
    .where("workspace", "=", workspace)
    .where("kpi", "in", [...kpis])
    .where("day", ">=", range.start)
    .where("day", "<=", range.end);
  if (segments) q = q.where("segment", "in", [...segments]);
  const rows = await q.orderBy("kpi").orderBy("segment").orderBy("day").execute();
  return rows.map((r) => ({ ...r, dist: r.dist ?? null }));
}

type SeriesRow = [string, unknown, unknown, unknown, Record<string, number> | null];

// JSON has no NaN or Infinity: PostgreSQL writes them as strings. They come back as the numbers they
// were, exactly as `loadSamples` returns them, so both paths meet the domain's one rule (a NaN or
// Infinity anywhere in a window makes the window no data).
const NON_FINITE: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  "-Infinity": Number.NEGATIVE_INFINITY,
};
const numberOrNull = (v: unknown): number | null =>
  typeof v === "number" ? v : typeof v === "string" ? (NON_FINITE[v] ?? null) : null;

/**
 * The same samples as `loadSamples` for one segment, read as one JSON array per KPI. Building the rows
 * on the server and parsing one string per KPI costs a fraction of the per-row driver work (about 4x
 * faster on PGlite, a little faster on PostgreSQL), which is most of an evaluation run's time.
 */
export async function loadSegmentSeries(
  db: Db,
  workspace: string,
  kpis: readonly string[],
  range: DayRange,
  segment = "",
): Promise<Sample[]> {
  if (kpis.length === 0) return [];
  const { rows } = await sql<{ kpi: string; series: string }>`
    select kpi, json_agg(json_build_array(day, value, num, den, dist) order by day)::text as series
    from samples
    where workspace = ${workspace} and kpi = any(${[...kpis]}::text[]) and segment = ${segment}
      and day >= ${range.start} and day <= ${range.end}
    group by kpi
    order by kpi
  `.execute(db);
  const out: Sample[] = [];
  for (const r of rows) {
    for (const [day, value, num, den, dist] of JSON.parse(r.series) as SeriesRow[]) {
      out.push({
        kpi: r.kpi,
        segment,
        day,
        value: numberOrNull(value),
        num: numberOrNull(num),
        den: numberOrNull(den),
        dist,
      });
    }
  }
  return out;
}

/** The last day with a sample for any of `kpis` (or any KPI at all), or null when there is none. */
export async function latestSampleDay(
  db: Db,
  workspace: string,
  kpis?: readonly string[],
): Promise<string | null> {
  if (kpis?.length === 0) return null;
  let q = db
    .selectFrom("samples")
    .select((eb) => eb.fn.max("day").as("day"))
    .where("workspace", "=", workspace);
  if (kpis) q = q.where("kpi", "in", [...kpis]);
  const row = await q.executeTakeFirst();
  return row?.day ?? null;
}

/** Distinct segments stored for a KPI (without the total ""), for breakdowns and suggestions. */
export async function listSegments(db: Db, workspace: string, kpi: string): Promise<string[]> {
  const rows = await db
    .selectFrom("samples")
    .select("segment")
    .distinct()
    .where("workspace", "=", workspace)
    .where("kpi", "=", kpi)
    .where("segment", "<>", "")
    .orderBy("segment")
    .execute();
  return rows.map((r) => r.segment);
}

/** Removes every sample of the given KPIs (used when a KPI is deleted from the catalog). */
export async function deleteSamples(db: Db, workspace: string, kpis: readonly string[]): Promise<number> {
  if (kpis.length === 0) return 0;
  const r = await db
    .deleteFrom("samples")
    .where("workspace", "=", workspace)
    .where("kpi", "in", [...kpis])
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
