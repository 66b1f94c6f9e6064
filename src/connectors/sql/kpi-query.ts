import { z } from "zod";
import { ClgError, isClgError } from "../../errors.ts";
import { type ActivationRule, readActivationRule } from "../../kpi/activation-rule.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import { firstIssue } from "./sql-config.ts";

/** A SQL KPI's `query`: the statement, and for an activation KPI the rule its rows are counted against. */
export const sqlKpiQuerySchema = z
  .object({
    sql: z.string().trim().min(1, "the SQL statement is empty"),
    /** `"10+ searches AND 2+ lists AND 1+ export within 14 days"` or `{ within_days, all: [{ event, min }] }`. */
    activation: z.unknown().optional(),
  })
  .strict();
export type SqlKpiQuery = z.infer<typeof sqlKpiQuerySchema>;

export interface SqlKpiPlan {
  kpi: KpiDefinition;
  sql: string;
  rule: ActivationRule | null;
}

const READING_START = /^(select|with|values|table|\()/i;

function failed(kpi: string, message: string, hint: string, cause?: unknown): ClgError {
  return new ClgError("clg_source_failed", `KPI "${kpi}": ${message}`, { hint, cause });
}

/** The first word after any leading comments. */
function firstWord(sql: string): string {
  const text = sql.replace(/^(\s+|--[^\n]*(\n|$)|#[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, "");
  return /^(\(|[A-Za-z_]+)/.exec(text)?.[0] ?? text.slice(0, 12);
}

/** Reads and checks a KPI's query before any connection is opened; formula KPIs are not polled. */
export function planSqlKpi(kpi: KpiDefinition): SqlKpiPlan | null {
  if (kpi.aggregation.kind === "formula") return null;
  const parsed = sqlKpiQuerySchema.safeParse(kpi.query);
  if (!parsed.success) {
    throw failed(
      kpi.slug,
      `${firstIssue(parsed.error, "query")}.`,
      'Write query: { sql: "SELECT day, ... WHERE day BETWEEN :since AND :until" }.',
    );
  }
  const word = firstWord(parsed.data.sql);
  if (!READING_START.test(word)) {
    throw failed(
      kpi.slug,
      `query.sql starts with "${word}"; the SQL source runs only SELECT statements.`,
      "Write a SELECT (or WITH ... SELECT) that changes nothing.",
    );
  }
  if (parsed.data.activation === undefined) return { kpi, sql: parsed.data.sql, rule: null };
  if (kpi.aggregation.kind !== "ratio") {
    throw failed(
      kpi.slug,
      `query.activation needs aggregation kind "ratio" (activated / trials), not "${kpi.aggregation.kind}".`,
      "Set aggregation: { kind: ratio, scale: 100 }.",
    );
  }
  try {
    return { kpi, sql: parsed.data.sql, rule: readActivationRule(parsed.data.activation) };
  } catch (e) {
    if (!isClgError(e)) throw e;
    throw failed(kpi.slug, `query.activation: ${e.message}`, e.hint ?? "", e);
  }
}
