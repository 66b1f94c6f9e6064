/**
 * PostgreSQL takes at most 65,535 bind parameters in one statement, so a multi-row write of about 8,000
 * rows of eight columns fails. Writes of many rows go in slices that stay under it.
 */
const MAX_PARAMETERS = 65_535;
/** PGlite fails on far fewer (a RangeError building the message); a thousand rows a statement is plenty fast. */
const MAX_ROWS = 1_000;

/** `rows` in slices of at most as many rows as fit the parameter limit with `perRow` parameters each. */
export function chunks<T>(rows: readonly T[], perRow: number): T[][] {
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, perRow)) - 1));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
