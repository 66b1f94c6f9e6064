import type { BoundStatement } from "./named-params.ts";
import type { SqlTarget } from "./sql-target.ts";

export interface SqlRows {
  /** Column names as the server returned them. */
  columns: string[];
  rows: Record<string, unknown>[];
}

/** One connection for one poll. Each statement runs in its own read-only transaction. */
export interface SqlSession {
  readonly target: SqlTarget;
  /** Runs a SELECT and returns at most `maxRows + 1` rows, so the caller can tell the cap was passed. */
  select(statement: BoundStatement, maxRows: number): Promise<SqlRows>;
  close(): Promise<void>;
}

export interface SessionOptions {
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  /** The catalog timezone, so `now()`, `current_date` and timestamp-to-date casts use its days. */
  timezone: string;
  /** Used to pick a UTC offset when a MySQL server has no time zone tables. */
  until: string;
}

/**
 * The statement as a derived table under a LIMIT: the server stops after the cap instead of sending
 * millions of rows. A trailing `;` is dropped; the newline keeps a trailing `--` comment from eating `)`.
 */
export function limitRows(text: string, maxRows: number): string {
  const body = text.replace(/[\s;]+$/, "");
  return `SELECT * FROM (\n${body}\n) AS clg_rows LIMIT ${Math.floor(maxRows) + 1}`;
}

/** Client-side backstop when the server does not stop a statement at its own timeout. */
export function clientTimeoutMs(options: SessionOptions): number {
  return options.statementTimeoutMs + 5_000;
}
