import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import mysql from "mysql2/promise";
import pg from "pg";
import type { SourceDefinition } from "../../../src/catalog/catalog-schema.ts";
import type { SqlDialect } from "../../../src/connectors/sql/index.ts";
import {
  type KpiDefinition,
  type KpiDefinitionInput,
  kpiDefinitionSchema,
} from "../../../src/kpi/definition.ts";

export const SERVER_URLS: Record<SqlDialect, string> = {
  postgres: "postgres://postgres@127.0.0.1:5432/test",
  mysql: "mysql://root@127.0.0.1:3306/test",
};

/** Whether a TCP connection to host:port opens within a moment. */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Which SQL servers the source tests run against: those that answer here. Under CI (CI=true) both always
 * run, so a missing server is a failure there, never a silent skip.
 */
export const SQL_SERVERS: Record<SqlDialect, boolean> =
  process.env.CI === "true"
    ? { postgres: true, mysql: true }
    : { postgres: await reachable(SERVER_URLS.postgres), mysql: await reachable(SERVER_URLS.mysql) };

/**
 * A scratch area on a real server: a random schema on PostgreSQL (reached through search_path), uniquely
 * prefixed tables on MariaDB. `t("signups")` is the name a statement should use for a table.
 */
export interface SqlScratch {
  dialect: SqlDialect;
  /** The URL a source's secret holds to see the scratch tables. */
  url: string;
  t(table: string): string;
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

export async function openScratch(dialect: SqlDialect): Promise<SqlScratch> {
  const tag = `clg_sql_${randomBytes(4).toString("hex")}`;
  if (dialect === "postgres") {
    const client = new pg.Client({ connectionString: SERVER_URLS.postgres });
    await client.connect();
    await client.query(`CREATE SCHEMA ${tag}`);
    await client.query(`SET search_path = ${tag}`);
    return {
      dialect,
      url: `${SERVER_URLS.postgres}?options=${encodeURIComponent(`-c search_path=${tag}`)}`,
      t: (table) => table,
      exec: async (sql) => {
        await client.query(sql);
      },
      drop: async () => {
        await client.query(`DROP SCHEMA ${tag} CASCADE`);
        await client.end();
      },
    };
  }
  const conn = await mysql.createConnection({ uri: SERVER_URLS.mysql });
  const created: string[] = [];
  const routines: string[] = [];
  return {
    dialect,
    url: SERVER_URLS.mysql,
    t: (table) => `${tag}_${table}`,
    exec: async (sql) => {
      const made = /^\s*create\s+(table|function)\s+(\w+)/i.exec(sql);
      if (made) (made[1]?.toLowerCase() === "table" ? created : routines).push(made[2] as string);
      await conn.query(sql);
    },
    drop: async () => {
      for (const r of routines) await conn.query(`DROP FUNCTION IF EXISTS ${r}`);
      if (created.length > 0) await conn.query(`DROP TABLE IF EXISTS ${created.join(", ")}`);
      await conn.end();
    },
  };
}

export function sqlSource(dialect: SqlDialect, config: Record<string, unknown> = {}): SourceDefinition {
  return {
    name: "product_db",
    kind: "sql",
    schedule: "0 * * * *",
    config: { dialect, ...config },
    secret_env: "PRODUCT_DB_URL",
  };
}

export function kpi(
  input: Partial<KpiDefinitionInput> & Pick<KpiDefinitionInput, "slug" | "aggregation" | "query">,
): KpiDefinition {
  return kpiDefinitionSchema.parse({
    name: input.slug,
    stage: "activation",
    unit: "count",
    direction: "up",
    ...input,
  });
}
