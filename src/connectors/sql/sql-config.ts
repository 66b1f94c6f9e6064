import { z } from "zod";
import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError } from "../../errors.ts";
import { pollOptionsShape } from "../common/poll-options.ts";

export const SQL_DIALECTS = ["postgres", "mysql"] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

/** The SQL source's `config` in the catalog. The connection URL is the source's secret, never config. */
export const sqlConfigSchema = z
  .object({
    dialect: z.enum(SQL_DIALECTS),
    /** Longest a KPI's statement may run on the server. */
    statement_timeout_ms: z.number().int().min(100).max(600_000).default(15_000),
    /** A statement returning more rows than this fails the poll instead of filling memory. */
    max_rows: z.number().int().min(1).max(10_000_000).default(500_000),
    /** How long to wait for the server to accept the connection. */
    connect_timeout_ms: z.number().int().min(100).max(120_000).default(10_000),
    ...pollOptionsShape,
  })
  .strict();
export type SqlConfig = z.infer<typeof sqlConfigSchema>;

/** The first problem zod found, as "field: message". */
export function firstIssue(error: z.ZodError, root: string): string {
  const issue = error.issues[0];
  const path = issue && issue.path.length > 0 ? `${root}.${issue.path.join(".")}` : root;
  return `${path}: ${issue?.message ?? "not valid"}`;
}

export function parseSqlConfig(source: Pick<SourceDefinition, "name" | "config">): SqlConfig {
  const parsed = sqlConfigSchema.safeParse(source.config);
  if (parsed.success) return parsed.data;
  throw new ClgError(
    "clg_source_failed",
    `The config of SQL source "${source.name}" is not valid: ${firstIssue(parsed.error, "config")}.`,
    {
      hint: "Write config: { dialect: postgres | mysql, statement_timeout_ms?: 15000, max_rows?: 500000 }; the connection URL goes in the variable named by secret_env.",
    },
  );
}
