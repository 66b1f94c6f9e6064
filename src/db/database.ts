import { PGlite } from "@electric-sql/pglite";
import { Kysely, PostgresDialect, sql } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { ClgError } from "../errors.ts";
import { hasMisplacedAt, URL_ENCODING_HINT } from "../redact.ts";
import { unreachableError } from "./connection-errors.ts";
import { lockDataDir } from "./data-dir-lock.ts";
import { hasCluster, loadTemplate } from "./pglite-template.ts";
import { describePgUrl } from "./redact-url.ts";
import type { Database } from "./schema.ts";

export interface OpenDatabaseOptions {
  /** postgres:// URL; when set, a real server is used. */
  url?: string | null;
  /** PGlite data folder; null, undefined or ":memory:" keeps the database in memory. */
  dataDir?: string | null;
  /** One schema name; created if missing and used as the search_path (tests run in a random schema). */
  searchPath?: string;
  /** How long to wait for the server before giving up (default 10 s). */
  connectTimeoutMs?: number;
  /** Pool size for PostgreSQL (default 10). */
  maxConnections?: number;
}

export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
// Days stay "YYYY-MM-DD" strings (a Date would shift by the process timezone); bigserial ids fit a number.
const keepText = (v: string) => v;
const toNumber = (v: string) => Number(v);

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDatabase(opts: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (opts.searchPath !== undefined && !SCHEMA_NAME.test(opts.searchPath)) {
    throw new ClgError("clg_config_invalid", `"${opts.searchPath}" is not a valid schema name.`);
  }
  const opened = opts.url ? await openPostgres(opts.url, opts) : await openPglite(opts.dataDir ?? null);
  try {
    if (opts.searchPath !== undefined) {
      await sql`create schema if not exists ${sql.id(opts.searchPath)}`.execute(opened.db);
      // PGlite has one connection, so setting it once holds; pg pools set it per connection (see below).
      if (opened.kind === "pglite")
        await sql`set search_path to ${sql.id(opts.searchPath)}`.execute(opened.db);
    }
  } catch (e) {
    await opened.close();
    throw e;
  }
  return opened;
}

async function openPostgres(url: string, opts: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (hasMisplacedAt(url)) {
    throw new ClgError(
      "clg_config_invalid",
      'DATABASE_URL has an "@" after its host, so its password holds characters that must be percent-encoded.',
      { hint: URL_ENCODING_HINT },
    );
  }
  const target = describePgUrl(url);
  if (!target) {
    throw new ClgError("clg_config_invalid", "DATABASE_URL is not a postgres:// URL.", {
      hint: "Use the form postgres://user:password@host:5432/database",
    });
  }
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    max: opts.maxConnections ?? 10,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === DATE_OID) return keepText;
        if (oid === INT8_OID) return toNumber;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (a terminated backend, a restart, a network blip) emits 'error'; with no
  // listener Node ends the process. The pool listens while a client is idle; while a client is checked
  // out (a query, a transaction) only the client's own listener can. The query in flight is rejected
  // with the error and its caller reports it; the pool drops the dead client and opens a new one.
  pool.on("error", () => {});
  // Every connection the pool holds, so a close can end the ones a stuck query keeps busy.
  const live = new Set<pg.Client>();
  pool.on("connect", (client) => {
    client.on("error", () => {});
    live.add(client);
  });
  pool.on("remove", (client) => live.delete(client));
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => {});
    throw unreachableError(e, target, timeoutMs);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: "postgres", close: () => closePool(db, live) };
}

/** How long a close waits for queries still running before it ends their connections. */
const CLOSE_WAIT_MS = 2_000;

/**
 * Closes the pool. `pool.end()` waits for every checked-out connection, so a query blocked on a lock
 * another session holds (a replica stopped mid-transaction holds its locks until its connection dies)
 * would hold the close, and the process's exit, for as long as that session lives. After a short wait such
 * connections are ended: PostgreSQL rolls their transactions back (a slot claim and its delivery row go
 * together, so nothing half-done stays), and their callers get the error.
 */
async function closePool(db: Kysely<Database>, live: ReadonlySet<pg.Client>): Promise<void> {
  const ended = db.destroy();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), CLOSE_WAIT_MS);
  });
  if ((await Promise.race([ended, late])) === "late")
    for (const client of live) await client.end().catch(() => {});
  clearTimeout(timer);
  await ended;
}

async function openPglite(dataDir: string | null): Promise<OpenedDatabase> {
  const inMemory = dataDir === null || dataDir === "" || dataDir === ":memory:";
  let release = () => {};
  let client: PGlite;
  try {
    if (!inMemory) release = lockDataDir(dataDir);
    const template = inMemory || !hasCluster(dataDir) ? await loadTemplate() : null;
    // The options-object form: with a positional undefined dataDir, PGlite drops the options.
    const create = (loadDataDir: Blob | null) =>
      PGlite.create({
        ...(inMemory ? {} : { dataDir }),
        ...(loadDataDir ? { loadDataDir } : {}),
        parsers: { [DATE_OID]: keepText, [INT8_OID]: toNumber },
      });
    // A template that cannot be restored (a broken install) only costs the time initdb takes.
    client = await create(template).catch((e) => (template ? create(null) : Promise.reject(e)));
  } catch (e) {
    release();
    if (e instanceof ClgError) throw e;
    throw pgliteOpenError(e, dataDir ?? ":memory:");
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: "pglite",
    close: async () => {
      try {
        await db.destroy();
      } finally {
        release();
      }
    },
  };
}

function pgliteOpenError(e: unknown, dataDir: string): ClgError {
  const raw = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "EACCES" || code === "EPERM") {
    return new ClgError("clg_db_unreachable", `Cannot open the data folder ${dataDir}: permission denied.`, {
      hint: "Set CLG_DATA_DIR to a folder this process may write.",
      cause: e,
    });
  }
  return new ClgError(
    "clg_db_unreachable",
    `Cannot open the embedded database in ${dataDir} (${raw}). The folder may be damaged or from another PostgreSQL version.`,
    {
      hint: "Move the folder aside to start fresh, or point CLG_DATA_DIR at another folder.",
      cause: e,
    },
  );
}
