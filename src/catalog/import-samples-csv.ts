import type { Readable } from "node:stream";
import { closest } from "fastest-levenshtein";
import type { Db } from "../db/db.ts";
import { createImportStage, finishImport, type StagedRow, stageRows } from "../db/import-stage.ts";
import type { KpiDefinition } from "../kpi/definition.ts";
import { parseSegmentKey } from "../kpi/sample.ts";
import { numberProblem } from "../number-range.ts";
import { csvError, isIsoDay, MAX_REPORTED, type Row, rowValueProblems, streamCsv } from "./csv-rows.ts";

/** Days before this year are typos (0000, 0201), and some databases cannot store year 0 at all. */
const MIN_YEAR = 1900;
/** Rows held in memory before they go to the database; the import's memory does not grow with the file. */
const BATCH_ROWS = 5_000;

export interface ImportSamplesOptions {
  workspace: string;
  /** The file's text, or a stream of it (a file of any size). */
  csvText?: string;
  input?: Readable;
  kpis: readonly KpiDefinition[];
  fileName?: string;
  batchRows?: number;
  /** Called after each batch of rows reaches the database, with the rows staged so far. */
  onBatch?: (staged: number) => void;
}

export interface ImportSamplesResult {
  /** Data rows read from the file. */
  rows: number;
  /** Daily samples inserted or changed. */
  written: number;
  /** Daily samples already stored with the same values. */
  unchanged: number;
}

/** Checks one row and turns it into what the stage holds, or reports why it cannot be imported. */
function readRow(
  row: Row,
  bySlug: ReadonlyMap<string, KpiDefinition>,
  slugs: readonly string[],
  fail: (column: string, message: string) => void,
): StagedRow | null {
  const slug = row.get("kpi") ?? "";
  const def = bySlug.get(slug);
  if (!def) {
    const near = slugs.length > 0 ? ` (did you mean "${closest(slug, [...slugs])}"?)` : "";
    fail("kpi", `unknown KPI "${slug}"${near}`);
    return null;
  }
  const day = row.get("day") ?? "";
  if (!isIsoDay(day)) {
    fail("day", `expected a date like 2026-01-31, got "${day}"`);
    return null;
  }
  if (Number(day.slice(0, 4)) < MIN_YEAR) {
    fail("day", `${day} is before the year ${MIN_YEAR}; days are from ${MIN_YEAR}-01-01 on`);
    return null;
  }
  const segment = row.get("segment") ?? "";
  if (segment !== "" && parseSegmentKey(segment) === null) {
    fail("segment", `expected "dimension:value" (e.g. plan:pro) or empty, got "${segment}"`);
    return null;
  }
  const number = (column: string): number | undefined => {
    const raw = row.get(column);
    if (raw === undefined || raw === "") {
      fail(column, `a ${def.aggregation.kind} KPI needs a number here`);
      return undefined;
    }
    const v = Number(raw);
    const problem = numberProblem(v);
    if (problem === null) return v;
    fail(column, Number.isNaN(v) ? `expected a number, got "${raw}"` : `"${raw}" ${problem}`);
    return undefined;
  };
  const agg = def.aggregation;
  const base = { kpi: slug, day, segment, line: row.line, value: null, num: null, den: null, score: null };
  if (agg.kind === "formula") {
    fail("kpi", `${slug} is computed from other KPIs by its formula; import the KPIs it uses instead`);
    return null;
  }
  if (agg.kind === "distribution" || (agg.kind === "mean" && (row.get("score") ?? "") !== "")) {
    const score = number("score");
    if (score === undefined) return null;
    if (
      agg.kind === "distribution" &&
      (!Number.isInteger(score) || score < agg.scale.min || score > agg.scale.max)
    ) {
      fail("score", `expected a whole number from ${agg.scale.min} to ${agg.scale.max}, got ${score}`);
      return null;
    }
    return { ...base, kind: agg.kind === "distribution" ? "histogram" : "scores", score: String(score) };
  }
  if (agg.kind === "ratio" || agg.kind === "mean") {
    const num = number("numerator");
    const den = number("denominator");
    if (num === undefined || den === undefined) return null;
    if (den < 0) {
      fail("denominator", "a denominator cannot be negative");
      return null;
    }
    const problems = rowValueProblems(def, { num, den });
    for (const p of problems) fail(p.column, p.message);
    return problems.length > 0 ? null : { ...base, kind: "single", num, den };
  }
  const value = number("value");
  if (value === undefined) return null;
  const problems = rowValueProblems(def, { value });
  for (const p of problems) fail(p.column, p.message);
  return problems.length > 0 ? null : { ...base, kind: "single", value };
}

/**
 * Imports daily samples from CSV: `kpi, day, value` for counts, sums and stocks; `kpi, day, numerator,
 * denominator` for ratios and means; `kpi, day, score` with one row per answer for distributions (and
 * means), which are added up into that day's histogram. An optional `segment` column holds
 * "dimension:value". Each kpi + segment + day in the file replaces what is stored, so importing a file
 * twice changes nothing.
 *
 * The file streams through in batches into a staging table inside one transaction: memory stays flat
 * however long the file is, and any bad row (or a day given twice) rolls everything back, so nothing is
 * written.
 */
export async function importSamplesCsv(db: Db, opts: ImportSamplesOptions): Promise<ImportSamplesResult> {
  const file = opts.fileName ?? "samples.csv";
  const input = opts.input ?? opts.csvText ?? "";
  const run = async (trx: Db): Promise<ImportSamplesResult> => {
    const bySlug = new Map(opts.kpis.map((k) => [k.slug, k]));
    const slugs = opts.kpis.map((k) => k.slug);
    const problems: string[] = [];
    let problemCount = 0;
    let rows = 0;
    let staged = 0;
    let batch: StagedRow[] = [];
    await createImportStage(trx);
    // Opened only now: the parser starts at once, and its errors need the loop below listening.
    const csv = streamCsv(input, file);
    const flush = async () => {
      if (batch.length === 0) return;
      await stageRows(trx, batch);
      staged += batch.length;
      batch = [];
      opts.onBatch?.(staged);
    };
    const checkHeader = () => {
      const columns = csv.columns();
      for (const required of ["kpi", "day"]) {
        if (!columns.includes(required))
          throw csvError(file, [`the header has no "${required}" column (found: ${columns.join(", ")})`]);
      }
    };
    for await (const row of csv.rows) {
      if (rows === 0) checkHeader();
      rows++;
      const fail = (column: string, message: string) => {
        problemCount++;
        if (problems.length >= MAX_REPORTED) return;
        const n = csv.columns().indexOf(column);
        problems.push(`line ${row.line}, column ${n >= 0 ? `${n + 1} (${column})` : column}: ${message}`);
      };
      const staging = readRow(row, bySlug, slugs, fail);
      // Once a row is bad nothing will be written; the rest is only read for its problems.
      if (staging && problemCount === 0) batch.push(staging);
      if (batch.length >= (opts.batchRows ?? BATCH_ROWS)) await flush();
    }
    if (rows === 0) checkHeader();
    if (problemCount > 0) throw csvError(file, problems, problemCount);
    await flush();
    const dayColumn = csv.columns().indexOf("day") + 1;
    const finished = await finishImport(trx, opts.workspace);
    if (finished.repeated.length > 0) {
      throw csvError(
        file,
        finished.repeated.map(
          (r) =>
            `line ${r.line}, column ${dayColumn} (day): a second row for ${r.kpi}${r.segment ? ` (${r.segment})` : ""} on ${r.day}; the first is on line ${r.first}`,
        ),
        finished.repeatedCount,
      );
    }
    return { rows, written: finished.written, unchanged: finished.samples - finished.written };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
