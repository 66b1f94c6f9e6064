import { sql } from "kysely";
import type { Db } from "./db.ts";

/**
 * One checked CSV row on its way to `samples`: a `single` row is a day's value (or numerator and
 * denominator); `scores` rows (means) and `histogram` rows (distributions) are one answer each and are
 * added up per day.
 */
export interface StagedRow {
  kind: "single" | "scores" | "histogram";
  kpi: string;
  segment: string;
  day: string;
  line: number;
  value: number | null;
  num: number | null;
  den: number | null;
  score: string | null;
}

export interface FinishedImport {
  /** Daily samples the file holds, and how many of them were inserted or changed. */
  samples: number;
  written: number;
  /** Days given twice (at most 20), and how many there are in all; when any, nothing was written. */
  repeated: { kpi: string; segment: string; day: string; first: number; line: number }[];
  repeatedCount: number;
}

/** A temporary table for one import, dropped when its transaction ends. Call inside a transaction. */
export async function createImportStage(trx: Db): Promise<void> {
  await sql`
    create temporary table clg_import_stage (
      kind text not null, kpi text not null, segment text not null, day date not null, line int not null,
      value float8, num float8, den float8, score text
    ) on commit drop`.execute(trx);
}

/** One statement per batch: the rows travel as arrays (`unnest`), nine parameters whatever the size. */
export async function stageRows(trx: Db, rows: readonly StagedRow[]): Promise<void> {
  const col = <K extends keyof StagedRow>(k: K) => rows.map((r) => r[k]);
  await sql`
    insert into clg_import_stage (kind, kpi, segment, day, line, value, num, den, score)
    select * from unnest(${col("kind")}::text[], ${col("kpi")}::text[], ${col("segment")}::text[],
      ${col("day")}::date[], ${col("line")}::int[], ${col("value")}::float8[], ${col("num")}::float8[],
      ${col("den")}::float8[], ${col("score")}::text[])`.execute(trx);
}

/**
 * Checks that no day is given twice, then adds up answers and writes every day into `samples` in one
 * statement, leaving rows equal to the stored ones alone.
 */
export async function finishImport(trx: Db, workspace: string): Promise<FinishedImport> {
  const repeated = await sql<{
    kpi: string;
    segment: string;
    day: string;
    first: number;
    line: number;
    total: number;
  }>`
    select kpi, segment, day, lines[1] as first, lines[2] as line, count(*) over ()::int as total
    from (
      select kpi, segment, day, array_agg(line order by line) as lines
      from clg_import_stage group by kpi, segment, day
      having count(*) filter (where kind = 'single') > 1
        or (count(*) filter (where kind = 'single') = 1 and count(*) > 1)
    ) d
    order by lines[2] limit 20`.execute(trx);
  if (repeated.rows.length > 0) {
    return {
      samples: 0,
      written: 0,
      repeated: repeated.rows.map(({ total: _t, ...r }) => r),
      repeatedCount: repeated.rows[0]?.total ?? 0,
    };
  }
  const days = await sql<{ n: number }>`
    select count(*)::int as n from (select distinct kpi, segment, day from clg_import_stage) d`.execute(trx);
  const result = await sql`
    insert into samples as s (workspace, kpi, segment, day, value, num, den, dist)
    select ${workspace}, kpi, segment, day, value, num, den, dist from (
      select kpi, segment, day, value, num, den, null::jsonb as dist
        from clg_import_stage where kind = 'single'
      union all
      select kpi, segment, day, null, sum(score::float8), count(*)::float8, null
        from clg_import_stage where kind = 'scores' group by kpi, segment, day
      union all
      select kpi, segment, day, null, null, null, jsonb_object_agg(score, n)
        from (select kpi, segment, day, score, count(*) as n from clg_import_stage
              where kind = 'histogram' group by kpi, segment, day, score) h
        group by kpi, segment, day
    ) u
    on conflict (workspace, kpi, day, segment) do update
      set value = excluded.value, num = excluded.num, den = excluded.den, dist = excluded.dist,
          updated_at = now()
      where (s.value, s.num, s.den, s.dist) is distinct from (excluded.value, excluded.num, excluded.den, excluded.dist)
  `.execute(trx);
  return {
    samples: days.rows[0]?.n ?? 0,
    written: Number(result.numAffectedRows ?? 0n),
    repeated: [],
    repeatedCount: 0,
  };
}
