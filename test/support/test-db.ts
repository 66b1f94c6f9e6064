import { randomBytes } from "node:crypto";
import { type Kysely, sql } from "kysely";
import { openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import type { Database } from "../../src/db/schema.ts";

export interface TestDb {
  db: Kysely<Database>;
  kind: "pglite" | "postgres";
  schema: string;
  /** Drops the schema (on PostgreSQL) and closes the connection. */
  close(): Promise<void>;
}

/** The server URL when the suite runs against PostgreSQL (`TEST_DATABASE_URL`), else null for PGlite. */
export function testDatabaseUrl(): string | null {
  return process.env.TEST_DATABASE_URL || null;
}

/**
 * A fresh database for one test file: PGlite in memory by default, or a random schema on the server named
 * by TEST_DATABASE_URL. The real migrations run unless `migrate: false`.
 */
export async function openTestDb(
  opts: { migrate?: boolean; applicationName?: string } = {},
): Promise<TestDb> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const server = testDatabaseUrl();
  // A test that terminates its own backends finds them by application_name, leaving other tests' alone.
  const url =
    server && opts.applicationName
      ? `${server}${server.includes("?") ? "&" : "?"}application_name=${opts.applicationName}`
      : server;
  const opened = await openDatabase({ url, dataDir: null, searchPath: schema });
  if (opts.migrate !== false) await migrateToLatest(opened.db);
  return {
    db: opened.db,
    kind: opened.kind,
    schema,
    close: async () => {
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(opened.db);
      } finally {
        await opened.close();
      }
    },
  };
}
