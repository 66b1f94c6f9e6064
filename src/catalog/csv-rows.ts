import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { ClgError } from "../errors.ts";
import type { KpiDefinition } from "../kpi/definition.ts";

const ALIASES: Record<string, string> = { num: "numerator", den: "denominator", date: "day", metric: "kpi" };
export const MAX_REPORTED = 20;

/** A CSV data row: its line in the file and its fields by (lower-case) column name. */
export interface Row {
  line: number;
  get(column: string): string | undefined;
}

/** A CSV read as it streams: `columns` is known once the first row has come. */
export interface CsvStream {
  rows: AsyncIterable<Row>;
  columns(): string[];
}

/**
 * Reads a CSV with a header row, one row at a time, so a file of any size takes little memory; column
 * names are trimmed, lower-cased and a few synonyms mapped. A malformed record fails the iteration
 * with a message naming the file.
 */
export function streamCsv(input: string | Readable, file: string): CsvStream {
  let columns: string[] = [];
  const parser = parse({
    columns: (header: string[]) => {
      columns = header.map((h) => {
        const c = h.trim().toLowerCase();
        return ALIASES[c] ?? c;
      });
      return columns;
    },
    info: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  });
  const source = typeof input === "string" ? Readable.from([input]) : input;
  source.on("error", (e) => parser.destroy(e));
  source.pipe(parser);
  async function* rows(): AsyncGenerator<Row> {
    try {
      for await (const { record, info } of parser as AsyncIterable<{
        record: Record<string, string>;
        info: { lines: number };
      }>) {
        yield { line: info.lines, get: (c: string) => record[c] };
      }
    } catch (e) {
      throw csvError(file, [(e as Error).message]);
    } finally {
      source.unpipe(parser);
      if (typeof input !== "string") source.destroy();
    }
  }
  return { rows: rows(), columns: () => columns };
}

export function isIsoDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The problems found (at most MAX_REPORTED of them kept) out of `total`. */
export function csvError(file: string, problems: readonly string[], total = problems.length): ClgError {
  const shown = problems.slice(0, MAX_REPORTED).map((p) => `  - ${file} ${p}`);
  if (total > shown.length) shown.push(`  ... and ${total - shown.length} more`);
  return new ClgError(
    "clg_catalog_invalid",
    `${file} was not imported (${total} problem${total === 1 ? "" : "s"}):\n${shown.join("\n")}`,
    { hint: "Fix the rows and import again; nothing was written." },
  );
}

/**
 * Values a row may not hold for its KPI, in plain words: a count below zero, or a rate (a ratio shown as
 * a percent: a share of a whole) with a negative numerator or a numerator above its denominator.
 */
export function rowValueProblems(
  def: Pick<KpiDefinition, "unit" | "aggregation">,
  row: { value?: number; num?: number; den?: number },
): { column: string; message: string }[] {
  const problems: { column: string; message: string }[] = [];
  const isCount = def.aggregation.kind === "count" || def.unit === "count";
  if (isCount && row.value !== undefined && row.value < 0)
    problems.push({ column: "value", message: `a count cannot be negative, got ${row.value}` });
  if (def.aggregation.kind === "ratio" && def.unit === "percent" && row.num !== undefined) {
    if (row.num < 0)
      problems.push({ column: "numerator", message: `a numerator cannot be negative, got ${row.num}` });
    else if (row.den !== undefined && row.num > row.den)
      problems.push({
        column: "numerator",
        message: `the numerator (${row.num}) is larger than the denominator (${row.den}); a rate cannot be over 100%`,
      });
  }
  return problems;
}
