import { ClgError } from "../../errors.ts";
import { isDay } from "../../kpi/days.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import { parseSegmentKey, TOTAL_SEGMENT } from "../../kpi/sample.ts";
import { numberProblem } from "../../number-range.ts";
import type { SqlRows } from "./sql-session.ts";

const NUMERIC_TEXT = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i;

function failed(message: string, hint: string): ClgError {
  return new ClgError("clg_source_failed", message, { hint });
}

const show = (v: unknown): string =>
  v instanceof Date ? v.toISOString() : typeof v === "string" ? `"${v}"` : String(v);

/**
 * Reads one KPI's result rows by column name, case-insensitively (PostgreSQL folds unquoted aliases to
 * lower case, MySQL keeps them as written). Every complaint names the KPI, the row's day and the column.
 */
export class RowReader {
  private readonly names = new Map<string, string>();

  constructor(
    readonly kpi: Pick<KpiDefinition, "slug" | "dimensions">,
    readonly result: SqlRows,
  ) {
    for (const c of result.columns) this.names.set(c.toLowerCase(), c);
  }

  has(column: string): boolean {
    return this.names.has(column);
  }

  /** Fails naming the columns the query returned and the ones this KPI needs. */
  require(needed: readonly string[], optional: readonly string[], what: string): void {
    const missing = needed.filter((c) => !this.names.has(c));
    if (missing.length === 0) return;
    const got = this.result.columns.length > 0 ? this.result.columns.join(", ") : "no columns";
    const extra = optional.length > 0 ? ` (optional: ${optional.join(", ")})` : "";
    throw failed(
      `KPI "${this.kpi.slug}": the query returned ${got}, but ${what} needs ${needed.join(", ")}${extra}; missing ${missing.join(", ")}.`,
      `Name the columns with AS, e.g. SELECT ... AS ${missing[0]}.`,
    );
  }

  raw(row: Record<string, unknown>, column: string): unknown {
    const name = this.names.get(column);
    return name === undefined ? undefined : row[name];
  }

  day(row: Record<string, unknown>, column = "day", where = ""): string {
    const v = this.raw(row, column);
    if (typeof v === "string" && isDay(v)) return v;
    throw failed(
      `KPI "${this.kpi.slug}": ${where}column ${column} is ${show(v)}, not a date or YYYY-MM-DD text.`,
      "Return a date, e.g. CAST(created_at AS DATE) AS day (the session runs in the catalog timezone).",
    );
  }

  /** A finite number; counts (`nonNegative`) below zero are rejected. */
  number(
    row: Record<string, unknown>,
    column: string,
    at: string,
    opts: { nonNegative?: boolean } = {},
  ): number {
    const v = this.raw(row, column);
    let n = Number.NaN;
    if (typeof v === "number") n = v;
    else if (typeof v === "bigint") n = Number(v);
    else if (typeof v === "string" && NUMERIC_TEXT.test(v)) n = Number(v);
    const where = `KPI "${this.kpi.slug}": the row for ${at} has ${column} = ${show(v)}`;
    if (v === null || v === undefined)
      throw failed(`${where}.`, `Return a number, e.g. COALESCE(..., 0) AS ${column}.`);
    if (!Number.isFinite(n))
      throw failed(`${where}, which is not a finite number.`, "Return a number (no NaN or Infinity).");
    const problem = numberProblem(n);
    if (problem !== null) throw failed(`${where}, which ${problem}.`, `Check how ${column} is computed.`);
    if (opts.nonNegative && n < 0)
      throw failed(`${where}; a count cannot be negative.`, `Check how ${column} is computed.`);
    return n;
  }

  /** "" for the total (NULL or empty), else "<dimension>:<value>" with a dimension the KPI declares. */
  segment(row: Record<string, unknown>, at: string): string {
    const v = this.raw(row, "segment");
    if (v === undefined || v === null || v === "") return TOTAL_SEGMENT;
    const parsed = typeof v === "string" ? parseSegmentKey(v) : null;
    if (parsed === null) {
      throw failed(
        `KPI "${this.kpi.slug}": the row for ${at} has segment ${show(v)}, not "<dimension>:<value>".`,
        "Return e.g. CONCAT('plan:', plan) AS segment, or NULL for the total.",
      );
    }
    if (!this.kpi.dimensions.includes(parsed.dimension)) {
      throw failed(
        `KPI "${this.kpi.slug}": the query returns segment ${show(v)}, but "${parsed.dimension}" is not in the KPI's dimensions (${this.kpi.dimensions.join(", ") || "none"}).`,
        `Add ${parsed.dimension} to the KPI's dimensions in the catalog.`,
      );
    }
    return v as string;
  }

  /** Fails when the statement hit the row cap, rather than reporting part of the data. */
  checkCap(maxRows: number): void {
    if (this.result.rows.length <= maxRows) return;
    throw failed(
      `KPI "${this.kpi.slug}": the query returned more than ${maxRows} rows (config.max_rows).`,
      "Aggregate in SQL (GROUP BY day) or raise config.max_rows.",
    );
  }
}
