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
    // The session itself is read-only, so even a transaction the statement could end leaves it read-only.
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    await client.query("SELECT set_config('TimeZone', $1, false)", [options.timezone]);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  }
  const ms = Math.floor(options.statementTimeoutMs);
  let prepared = 0;
  return {
    target,
    async select(statement, maxRows) {
      if (lost) throw lost;
      await client.query(`BEGIN READ ONLY; SET LOCAL statement_timeout = ${ms}`);
      let result: pg.QueryResult;
      try {
        // A named statement always goes over the extended protocol, which carries exactly one statement
        // even with no parameter bound: a `;` in the text cannot close the wrapper, end the read-only
        // transaction and run a write after it (the simple protocol would run them all).
        prepared += 1;
        result = await client.query({
          name: `clg_kpi_${prepared}`,
          text: limitRows(statement.text, maxRows),
          values: statement.values,
        });
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
