import { closest } from "fastest-levenshtein";
import type { Db } from "../db/db.ts";
import { upsertSamples } from "../db/samples-repository.ts";
import type { KpiDefinition } from "../kpi/definition.ts";
import { parseSegmentKey, type Sample } from "../kpi/sample.ts";
import { numberProblem } from "../number-range.ts";
import { csvError, isIsoDay, type Row, readCsv } from "./csv-rows.ts";

/** Days before this year are typos (0000, 0201), and some databases cannot store year 0 at all. */
const MIN_YEAR = 1900;

export interface ImportSamplesOptions {
  workspace: string;
  csvText: string;
  kpis: readonly KpiDefinition[];
  fileName?: string;
}

export interface ImportSamplesResult {
  /** Data rows read from the file. */
  rows: number;
  /** Daily samples inserted or changed. */
  written: number;
  /** Daily samples already stored with the same values. */
  unchanged: number;
}

/**
 * Imports daily samples from CSV: `kpi, day, value` for counts, sums and stocks; `kpi, day, numerator,
 * denominator` for ratios and means; `kpi, day, score` with one row per answer for distributions (and
 * means), which are added up into that day's histogram. An optional `segment` column holds
 * "dimension:value". Each kpi + segment + day in the file replaces what is stored, so importing a file
 * twice changes nothing. Any bad row stops the import before anything is written.
 */
export async function importSamplesCsv(db: Db, opts: ImportSamplesOptions): Promise<ImportSamplesResult> {
  const file = opts.fileName ?? "samples.csv";
  const { rows, columns } = readCsv(opts.csvText, file);
  const problems: string[] = [];
  const fail = (row: Row, column: string, message: string) => {
    const n = columns.indexOf(column);
    problems.push(`line ${row.line}, column ${n >= 0 ? `${n + 1} (${column})` : column}: ${message}`);
  };
  for (const required of ["kpi", "day"]) {
    if (!columns.includes(required))
      throw csvError(file, [`the header has no "${required}" column (found: ${columns.join(", ")})`]);
  }
  const bySlug = new Map(opts.kpis.map((k) => [k.slug, k]));
  const samples = new Map<string, Sample & { line: number; kind: "single" | "sum" }>();

  for (const row of rows) {
    const slug = row.get("kpi") ?? "";
    const def = bySlug.get(slug);
    if (!def) {
      const near =
        opts.kpis.length > 0
          ? ` (did you mean "${closest(
              slug,
              opts.kpis.map((k) => k.slug),
            )}"?)`
          : "";
      fail(row, "kpi", `unknown KPI "${slug}"${near}`);
      continue;
    }
    const day = row.get("day") ?? "";
    if (!isIsoDay(day)) {
      fail(row, "day", `expected a date like 2026-01-31, got "${day}"`);
      continue;
    }
    const year = Number(day.slice(0, 4));
    if (year < MIN_YEAR) {
      fail(row, "day", `${day} is before the year ${MIN_YEAR}; days are from ${MIN_YEAR}-01-01 on`);
      continue;
    }
    const segment = row.get("segment") ?? "";
    if (segment !== "" && parseSegmentKey(segment) === null) {
      fail(row, "segment", `expected "dimension:value" (e.g. plan:pro) or empty, got "${segment}"`);
      continue;
    }
    const key = `${slug}\u0000${segment}\u0000${day}`;
    const number = (column: string): number | undefined => {
      const raw = row.get(column);
      if (raw === undefined || raw === "") {
        fail(row, column, `a ${def.aggregation.kind} KPI needs a number here`);
        return undefined;
      }
      const v = Number(raw);
      const problem = numberProblem(v);
      if (problem === null) return v;
      fail(row, column, Number.isNaN(v) ? `expected a number, got "${raw}"` : `"${raw}" ${problem}`);
      return undefined;
    };
    const agg = def.aggregation;
    const base = { kpi: slug, day, segment, value: null, num: null, den: null, dist: null, line: row.line };
    const hasScore = (row.get("score") ?? "") !== "";
    if (agg.kind === "formula") {
      fail(row, "kpi", `${slug} is computed from other KPIs by its formula; import the KPIs it uses instead`);
    } else if (agg.kind === "distribution" || (agg.kind === "mean" && hasScore)) {
      const score = number("score");
      if (score === undefined) continue;
      if (
        agg.kind === "distribution" &&
        (!Number.isInteger(score) || score < agg.scale.min || score > agg.scale.max)
      ) {
        fail(row, "score", `expected a whole number from ${agg.scale.min} to ${agg.scale.max}, got ${score}`);
        continue;
      }
      const s = samples.get(key) ?? { ...base, kind: "sum" as const };
      if (agg.kind === "distribution") {
        const dist = { ...(s.dist ?? {}) };
        dist[String(score)] = (dist[String(score)] ?? 0) + 1;
        s.dist = dist;
      } else {
        s.num = (s.num ?? 0) + score;
        s.den = (s.den ?? 0) + 1;
      }
      samples.set(key, s);
    } else {
      const previous = samples.get(key);
      if (previous) {
        fail(
          row,
          "day",
          `a second row for ${slug}${segment ? ` (${segment})` : ""} on ${day}; the first is on line ${previous.line}`,
        );
        continue;
      }
      if (agg.kind === "ratio" || agg.kind === "mean") {
        const num = number("numerator");
        const den = number("denominator");
        if (num === undefined || den === undefined) continue;
        if (den < 0) fail(row, "denominator", "a denominator cannot be negative");
        samples.set(key, { ...base, num, den, kind: "single" });
      } else {
        const value = number("value");
        if (value === undefined) continue;
        samples.set(key, { ...base, value, kind: "single" });
      }
    }
  }
  if (problems.length > 0) throw csvError(file, problems);

  const list: Sample[] = [...samples.values()].map(({ line: _l, kind: _k, ...s }) => s);
  const write = (trx: Db) => upsertSamples(trx, opts.workspace, list);
  const { written } = db.isTransaction ? await write(db) : await db.transaction().execute(write);
  return { rows: rows.length, written, unchanged: list.length - written };
}
