import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError } from "../../errors.ts";
import { hasMisplacedAt, URL_ENCODING_HINT } from "../../redact.ts";
import type { SqlDialect } from "./sql-config.ts";

/** Where a SQL source connects, for messages: never includes the password. */
export interface SqlTarget {
  dialect: SqlDialect;
  url: string;
  host: string;
  port: string;
  database: string;
  user: string;
}

const SCHEMES: Record<string, SqlDialect> = {
  "postgres:": "postgres",
  "postgresql:": "postgres",
  "mysql:": "mysql",
  "mariadb:": "mysql",
};
const DEFAULT_PORT: Record<SqlDialect, string> = { postgres: "5432", mysql: "3306" };
export const DIALECT_NAME: Record<SqlDialect, string> = { postgres: "PostgreSQL", mysql: "MySQL" };

/** "PostgreSQL at db.internal:5432, database app" */
export function describeTarget(t: SqlTarget): string {
  return `${DIALECT_NAME[t.dialect]} at ${t.host}:${t.port}, database "${t.database}"`;
}

function failed(message: string, hint: string): ClgError {
  return new ClgError("clg_source_failed", message, { hint });
}

/** Reads the source's secret as a connection URL and checks it matches the configured dialect. */
export function readSqlTarget(
  source: Pick<SourceDefinition, "name" | "secret_env">,
  dialect: SqlDialect,
  secret: string | null,
): SqlTarget {
  const variable = source.secret_env ?? "PRODUCT_DB_URL";
  const example =
    dialect === "postgres" ? "postgres://user:password@host:5432/db" : "mysql://user:password@host:3306/db";
  const reapply = `Set ${variable}=${example} where clg runs and apply the catalog again (clg catalog apply).`;
  if (secret === null || secret.trim() === "") {
    const why = source.secret_env
      ? `has no connection URL: ${variable} was not set when the catalog was applied`
      : "has no secret_env naming the variable that holds its connection URL";
    throw failed(
      `SQL source "${source.name}" ${why}.`,
      source.secret_env ? reapply : `Add secret_env: PRODUCT_DB_URL to the source, then: ${reapply}`,
    );
  }
  if (hasMisplacedAt(secret.trim())) {
    throw failed(
      `The connection URL of SQL source "${source.name}" (${variable}) has an "@" after its host, so its password holds characters that must be percent-encoded.`,
      `${URL_ENCODING_HINT} ${reapply}`,
    );
  }
  let u: URL;
  try {
    u = new URL(secret.trim());
  } catch {
    throw failed(
      `The connection URL of SQL source "${source.name}" (${variable}) is not a URL.`,
      `${URL_ENCODING_HINT} ${reapply}`,
    );
  }
  const scheme = SCHEMES[u.protocol];
  if (scheme === undefined) {
    throw failed(
      `The connection URL of SQL source "${source.name}" (${variable}) starts with "${u.protocol}//"; expected postgres:// or mysql://.`,
      reapply,
    );
  }
  if (scheme !== dialect) {
    throw failed(
      `SQL source "${source.name}" has dialect "${dialect}" but ${variable} is a ${DIALECT_NAME[scheme]} URL.`,
      `Make config.dialect and the URL agree: ${reapply}`,
    );
  }
  const user = decodeURIComponent(u.username);
  return {
    dialect,
    url: secret.trim(),
    host: decodeURIComponent(u.hostname) || "localhost",
    port: u.port || DEFAULT_PORT[dialect],
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || user,
    user,
  };
}
