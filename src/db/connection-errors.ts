import { ClgError } from "../errors.ts";
import { redactUrlPasswords } from "../redact.ts";
import type { PgTarget } from "./redact-url.ts";

const HINT = "Check DATABASE_URL, or leave it unset to use the embedded database under CLG_DATA_DIR.";

function codesOf(e: unknown): string[] {
  if (typeof e !== "object" || e === null) return [];
  const codes: string[] = [];
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") codes.push(code);
  // Node reports a refused dual-stack connect (::1 and 127.0.0.1) as an AggregateError.
  const inner = (e as { errors?: unknown }).errors;
  if (Array.isArray(inner)) for (const i of inner) codes.push(...codesOf(i));
  return codes;
}

const seconds = (ms: number) => (ms % 1000 === 0 ? String(ms / 1000) : (ms / 1000).toFixed(1));

/** Turns a pg connect failure into one line a person can act on. The URL's password never appears. */
export function unreachableError(e: unknown, target: PgTarget, timeoutMs: number): ClgError {
  const codes = codesOf(e);
  const raw = redactUrlPasswords(e instanceof Error ? e.message : String(e));
  const at = `PostgreSQL at ${target.host}:${target.port}`;
  const has = (c: string) => codes.includes(c);
  let message: string;
  if (has("ECONNREFUSED")) {
    message = `Cannot reach ${at} (connection refused). Is the server running? Check DATABASE_URL.`;
  } else if (has("ENOTFOUND") || has("EAI_AGAIN")) {
    message = `Cannot reach ${at} (host "${target.host}" not found). Check the host name in DATABASE_URL.`;
  } else if (has("ETIMEDOUT") || /timeout/i.test(raw)) {
    message = `Cannot reach ${at} (no answer within ${seconds(timeoutMs)} s). Check the host, port and firewall in DATABASE_URL.`;
  } else if (has("28P01")) {
    message = `${at} rejected the password for user "${target.user}". Check the credentials in DATABASE_URL.`;
  } else if (has("28000")) {
    message = `${at} refused user "${target.user}" (${raw}). Check the user in DATABASE_URL and pg_hba.conf.`;
  } else if (has("3D000")) {
    message = `${at} has no database "${target.database}". Create it (createdb ${target.database}) or fix DATABASE_URL.`;
  } else if (has("ECONNRESET") || has("EPIPE") || /terminated unexpectedly/i.test(raw)) {
    message = `Cannot reach ${at} (the server closed the connection). Check that DATABASE_URL points at a PostgreSQL server and whether it needs ?sslmode=require.`;
  } else {
    message = `Cannot connect to ${at}: ${raw}. Check DATABASE_URL.`;
  }
  return new ClgError("clg_db_unreachable", message, { hint: HINT, cause: e });
}
