import type { SqlDialect } from "./sql-config.ts";

/** The names a KPI statement may use; each is bound as a parameter, never spliced into the text. */
export const PARAM_NAMES = ["since", "until"] as const;
export type ParamName = (typeof PARAM_NAMES)[number];

export interface BoundStatement {
  text: string;
  /** Values in placeholder order ($1, $2... on PostgreSQL; one per ? on MySQL). */
  values: string[];
}

export type ParamsResult = { ok: true; statement: BoundStatement } | { ok: false; unknown: string };

/** Length of a quoted run (string, identifier, comment) starting at i, or 0 when none starts there. */
function skipQuoted(sql: string, i: number, dialect: SqlDialect): number {
  const c = sql[i];
  const rest = sql.slice(i);
  if (rest.startsWith("--") || (dialect === "mysql" && c === "#")) {
    const end = sql.indexOf("\n", i);
    return (end === -1 ? sql.length : end) - i;
  }
  if (rest.startsWith("/*")) {
    const end = sql.indexOf("*/", i + 2);
    return (end === -1 ? sql.length : end + 2) - i;
  }
  if (dialect === "postgres" && c === "$") {
    const tag = /^\$[A-Za-z_]?\w*\$/.exec(rest)?.[0];
    if (tag) {
      const end = sql.indexOf(tag, i + tag.length);
      return (end === -1 ? sql.length : end + tag.length) - i;
    }
  }
  if (c === "'" || c === '"' || (dialect === "mysql" && c === "`")) {
    // MySQL strings allow backslash escapes; both dialects double the quote to escape it.
    let j = i + 1;
    while (j < sql.length) {
      if (dialect === "mysql" && sql[j] === "\\" && c !== "`") j += 2;
      else if (sql[j] === c && sql[j + 1] === c) j += 2;
      else if (sql[j] === c) return j + 1 - i;
      else j += 1;
    }
    return sql.length - i;
  }
  return 0;
}

/**
 * Turns `:since` / `:until` into the driver's placeholders, leaving strings, quoted names, comments and
 * PostgreSQL `::` casts alone. Any other `:name` is reported, since it would reach the server unbound.
 */
export function bindNamedParams(
  sql: string,
  dialect: SqlDialect,
  values: Record<ParamName, string>,
): ParamsResult {
  let text = "";
  const ordered: string[] = [];
  // PostgreSQL numbers each name once, in order of first use, so an unused name sends no parameter.
  const numbered = new Map<ParamName, number>();
  let i = 0;
  while (i < sql.length) {
    const quoted = skipQuoted(sql, i, dialect);
    if (quoted > 0) {
      text += sql.slice(i, i + quoted);
      i += quoted;
      continue;
    }
    if (sql[i] === ":" && sql[i + 1] === ":") {
      text += "::";
      i += 2;
      continue;
    }
    const name = sql[i] === ":" ? /^:([A-Za-z_]\w*)/.exec(sql.slice(i))?.[1] : undefined;
    if (name === undefined) {
      text += sql[i];
      i += 1;
      continue;
    }
    const known = PARAM_NAMES.find((p) => p === name.toLowerCase());
    if (known === undefined) return { ok: false, unknown: name };
    if (dialect === "postgres") {
      if (!numbered.has(known)) {
        numbered.set(known, numbered.size + 1);
        ordered.push(values[known]);
      }
      text += `$${numbered.get(known)}`;
    } else {
      text += "?";
      ordered.push(values[known]);
    }
    i += name.length + 1;
  }
  return { ok: true, statement: { text, values: ordered } };
}
