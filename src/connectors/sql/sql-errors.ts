import { ClgError } from "../../errors.ts";
import { redactUrlPasswords } from "../../redact.ts";
import { describeTarget, type SqlTarget } from "./sql-target.ts";

interface DriverError {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  errors?: unknown;
}

function codesOf(e: unknown): string[] {
  if (typeof e !== "object" || e === null) return [];
  const { code, errno, errors } = e as DriverError;
  const codes: string[] = [];
  if (typeof code === "string") codes.push(code);
  if (typeof errno === "number") codes.push(String(errno));
  // Node reports a refused dual-stack connect (::1 and 127.0.0.1) as an AggregateError.
  if (Array.isArray(errors)) for (const inner of errors) codes.push(...codesOf(inner));
  return codes;
}

/** The driver's message on one line, without any password a URL in it might carry. */
export function driverMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const inner = (e as DriverError | null)?.errors;
  const text = raw === "" && Array.isArray(inner) && inner[0] instanceof Error ? inner[0].message : raw;
  return redactUrlPasswords(text).replace(/\s+/g, " ").trim();
}

const seconds = (ms: number) => (ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1));

/** A failed connect, in words naming the host and database (never the password). */
export function connectFailed(
  e: unknown,
  source: string,
  target: SqlTarget,
  variable: string,
  connectTimeoutMs: number,
): ClgError {
  const has = (...c: string[]) => codesOf(e).some((x) => c.includes(x));
  const at = describeTarget(target);
  const raw = driverMessage(e);
  let why: string;
  if (has("ECONNREFUSED"))
    why = `cannot reach ${at} (connection refused). Is the server running on that port?`;
  else if (has("ENOTFOUND", "EAI_AGAIN")) why = `cannot reach ${at} (host "${target.host}" not found).`;
  else if (has("ETIMEDOUT") || /timeout|timed out/i.test(raw))
    why = `cannot reach ${at} (no answer within ${seconds(connectTimeoutMs)} s). Check the host, port and firewall.`;
  else if (has("28P01", "ER_ACCESS_DENIED_ERROR", "1045"))
    why = `${at} rejected the password for user "${target.user}".`;
  else if (has("28000")) why = `${at} refused user "${target.user}" (${raw}).`;
  else if (has("3D000", "ER_BAD_DB_ERROR", "1049")) why = `${at}: the database does not exist.`;
  else why = `cannot connect to ${at}: ${raw}`;
  return new ClgError("clg_source_failed", `SQL source "${source}": ${why}`, {
    hint: `Check the connection URL in ${variable}, then apply the catalog again (clg catalog apply).`,
    cause: e,
  });
}

/** A KPI statement the server refused or stopped. */
export function queryFailed(e: unknown, kpi: string, target: SqlTarget, timeoutMs: number): ClgError {
  const has = (...c: string[]) => codesOf(e).some((x) => c.includes(x));
  const raw = driverMessage(e);
  const at = describeTarget(target);
  let message: string;
  let hint = "Run the statement by hand (with dates for :since and :until) and fix query.sql.";
  if (has("25006", "1792", "ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION")) {
    message = `KPI "${kpi}": the query tried to write, and the SQL source only reads (${raw}).`;
    hint = "Make query.sql a SELECT that changes nothing.";
  } else if (has("42601") && /multiple commands/i.test(raw)) {
    message = `KPI "${kpi}": query.sql holds more than one statement; the SQL source runs exactly one SELECT.`;
    hint = "Remove the `;` between statements and keep a single SELECT (or WITH ... SELECT).";
  } else if (
    has("57014", "1969", "3024", "ER_STATEMENT_TIMEOUT", "ER_QUERY_TIMEOUT", "PROTOCOL_SEQUENCE_TIMEOUT") ||
    /query read timeout/i.test(raw)
  ) {
    message = `KPI "${kpi}": the query ran longer than ${seconds(timeoutMs)} s on ${at} and was stopped.`;
    hint =
      "Make it cheaper (an index on the day column, a narrower range) or raise config.statement_timeout_ms.";
  } else {
    message = `KPI "${kpi}": the query failed on ${at}: ${raw}`;
  }
  return new ClgError("clg_source_failed", message, { hint, cause: e });
}
