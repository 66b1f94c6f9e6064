import { DateTime } from "luxon";
import mysql from "mysql2/promise";
import type { SessionOptions, SqlSession } from "./sql-session.ts";
import { clientTimeoutMs, limitRows } from "./sql-session.ts";
import type { SqlTarget } from "./sql-target.ts";

/**
 * The session's time zone: the catalog zone by name when the server has time zone tables, else its
 * UTC offset on the last polled day (exact except across a daylight-saving change inside the range).
 */
async function setTimeZone(conn: mysql.Connection, options: SessionOptions): Promise<void> {
  if (options.timezone === "UTC" || options.timezone === "Etc/UTC") {
    await conn.query("SET time_zone = '+00:00'");
    return;
  }
  try {
    await conn.query("SET time_zone = ?", [options.timezone]);
  } catch (e) {
    // ER_UNKNOWN_TIME_ZONE: the server has no time zone tables; anything else is a real failure.
    if ((e as { errno?: unknown }).errno !== 1298) throw e;
    const noon = DateTime.fromISO(`${options.until}T12:00:00`, { zone: options.timezone });
    await conn.query("SET time_zone = ?", [noon.toFormat("ZZ")]);
  }
}

/** MariaDB and MySQL name their statement time limit differently (seconds vs milliseconds). */
async function setStatementTimeout(conn: mysql.Connection, ms: number): Promise<void> {
  const [rows] = await conn.query("SELECT VERSION() AS v");
  const version = String((rows as { v: unknown }[])[0]?.v ?? "");
  if (/mariadb/i.test(version)) await conn.query("SET SESSION max_statement_time = ?", [ms / 1000]);
  else await conn.query("SET SESSION max_execution_time = ?", [Math.floor(ms)]);
}

export async function openMysqlSession(target: SqlTarget, options: SessionOptions): Promise<SqlSession> {
  const conn = await mysql.createConnection({
    uri: target.url,
    connectTimeout: options.connectTimeoutMs,
    // DATE stays "YYYY-MM-DD" text: a JS Date would shift it by the host's zone.
    dateStrings: true,
    multipleStatements: false,
  });
  let lost: Error | null = null;
  conn.on("error", (e: Error) => {
    lost = e;
  });
  try {
    // Every transaction of this session is read-only, and each statement opens one explicitly too.
    await conn.query("SET SESSION TRANSACTION READ ONLY");
    await setStatementTimeout(conn, options.statementTimeoutMs);
    await setTimeZone(conn, options);
  } catch (e) {
    conn.destroy();
    throw e;
  }
  return {
    target,
    async select(statement, maxRows) {
      if (lost) throw lost;
      await conn.query("START TRANSACTION READ ONLY");
      let rows: unknown;
      let fields: mysql.FieldPacket[];
      try {
        [rows, fields] = await conn.execute({
          sql: limitRows(statement.text, maxRows),
          values: statement.values,
          timeout: clientTimeoutMs(options),
        });
      } catch (e) {
        // The statement's own error is the one to report; a failed rollback only means the link is gone.
        await conn.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
      await conn.query("ROLLBACK");
      return { columns: (fields ?? []).map((f) => f.name), rows: rows as Record<string, unknown>[] };
    },
    close: () => conn.end(),
  };
}
