import pg from "pg";
import type { SessionOptions, SqlSession } from "./sql-session.ts";
import { clientTimeoutMs, limitRows } from "./sql-session.ts";
import type { SqlTarget } from "./sql-target.ts";

const DATE_OID = 1082;

/** A `date` column stays "YYYY-MM-DD" text: turning it into a JS Date would shift it by the host's zone. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === DATE_OID
      ? (v: string) => v
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openPgSession(target: SqlTarget, options: SessionOptions): Promise<SqlSession> {
  const client = new pg.Client({
    connectionString: target.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    query_timeout: clientTimeoutMs(options),
    application_name: "clg-bot",
    types,
  });
  // A server-side disconnect between statements is reported by the next statement instead of crashing.
  let lost: Error | null = null;
  client.on("error", (e) => {
    lost = e;
  });
  try {
    await client.connect();
    await client.query("SELECT set_config('TimeZone', $1, false)", [options.timezone]);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  const ms = Math.floor(options.statementTimeoutMs);
  return {
    target,
    async select(statement, maxRows) {
      if (lost) throw lost;
      await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${ms}`);
      let result: pg.QueryResult;
      try {
        result = await client.query({ text: limitRows(statement.text, maxRows), values: statement.values });
      } catch (e) {
        // The statement's own error is the one to report; a failed rollback only means the link is gone.
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
      await client.query("ROLLBACK");
      return { columns: result.fields.map((f) => f.name), rows: result.rows };
    },
    close: () => client.end(),
  };
}
