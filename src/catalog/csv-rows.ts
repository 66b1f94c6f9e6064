import { parse } from "csv-parse/sync";
import { ClgError } from "../errors.ts";

const ALIASES: Record<string, string> = { num: "numerator", den: "denominator", date: "day", metric: "kpi" };
const MAX_REPORTED = 20;

/** A CSV data row: its line in the file and its fields by (lower-case) column name. */
export interface Row {
  line: number;
  get(column: string): string | undefined;
}

/** Reads a CSV with a header row; column names are trimmed, lower-cased and a few synonyms mapped. */
export function readCsv(text: string, file: string): { rows: Row[]; columns: string[] } {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let columns: string[] = [];
  try {
    records = parse(text, {
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
  } catch (e) {
    throw csvError(file, [(e as Error).message]);
  }
  const rows = records.map(({ record, info }) => ({ line: info.lines, get: (c: string) => record[c] }));
  return { rows, columns };
}

export function csvError(file: string, problems: readonly string[]): ClgError {
  const shown = problems.slice(0, MAX_REPORTED).map((p) => `  - ${file} ${p}`);
  if (problems.length > MAX_REPORTED) shown.push(`  ... and ${problems.length - MAX_REPORTED} more`);
  return new ClgError(
    "clg_catalog_invalid",
    `${file} was not imported (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${shown.join("\n")}`,
    { hint: "Fix the rows and import again; nothing was written." },
  );
}
