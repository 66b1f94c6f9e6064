import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError, isClgError } from "../../errors.ts";
import { isDay } from "../../kpi/days.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import { thrownIssue, zodIssues } from "../common/config-issues.ts";
import type { Connector, ConnectorIssue, PollRequest } from "../connector.ts";
import { activationRowsToSamples } from "./activation-rows.ts";
import { planSqlKpi, type SqlKpiPlan } from "./kpi-query.ts";
import { type BoundStatement, bindNamedParams } from "./named-params.ts";
import { RowReader } from "./read-rows.ts";
import { rowsToSamples } from "./rows-to-samples.ts";
import { parseSqlConfig, type SqlConfig, sqlConfigSchema } from "./sql-config.ts";
import { connectFailed, driverMessage, queryFailed } from "./sql-errors.ts";
import type { SessionOptions, SqlSession } from "./sql-session.ts";
import { describeTarget, readSqlTarget, type SqlTarget } from "./sql-target.ts";

export type OpenSession = (target: SqlTarget, options: SessionOptions) => Promise<SqlSession>;

/** Drivers load on first use, so commands that never poll SQL do not pay for them. */
export const openSqlSession: OpenSession = async (target, options) =>
  target.dialect === "postgres"
    ? (await import("./pg-session.ts")).openPgSession(target, options)
    : (await import("./mysql-session.ts")).openMysqlSession(target, options);

type Request = Pick<PollRequest, "source" | "kpis" | "since" | "until" | "timezone" | "secret">;

function checkRange(since: string, until: string): void {
  for (const [name, day] of [
    ["since", since],
    ["until", until],
  ] as const) {
    if (!isDay(day))
      throw new ClgError(
        "clg_source_failed",
        `The SQL source was asked for ${name} "${day}", which is not a YYYY-MM-DD day.`,
      );
  }
}

/** Binds :since / :until before any connection is opened, so a typo fails fast. */
function bindPlan(plan: SqlKpiPlan, config: SqlConfig, request: Request): BoundStatement {
  const bound = bindNamedParams(plan.sql, config.dialect, { since: request.since, until: request.until });
  if (bound.ok) return bound.statement;
  throw new ClgError(
    "clg_source_failed",
    `KPI "${plan.kpi.slug}": query.sql uses :${bound.unknown}; only :since and :until are bound.`,
    { hint: "Use :since and :until for the polled days (inclusive); write other values into the SQL." },
  );
}

async function runKpi(
  session: SqlSession,
  plan: SqlKpiPlan,
  statement: BoundStatement,
  config: SqlConfig,
  request: Request,
): Promise<Sample[]> {
  const { kpi } = plan;
  let result: Awaited<ReturnType<SqlSession["select"]>>;
  try {
    result = await session.select(statement, config.max_rows);
  } catch (e) {
    throw queryFailed(e, kpi.slug, session.target, config.statement_timeout_ms);
  }
  const reader = new RowReader(kpi, result);
  reader.checkCap(config.max_rows);
  const samples =
    plan.rule !== null
      ? activationRowsToSamples(reader, plan.rule, request.until)
      : rowsToSamples(reader, kpi.aggregation as Parameters<typeof rowsToSamples>[1]);
  return samples.filter((s) => s.day >= request.since && s.day <= request.until);
}

/**
 * Polls a PostgreSQL or MySQL/MariaDB database: one connection per poll, each KPI's statement in its own
 * read-only transaction under a statement timeout, `:since` / `:until` bound as parameters. The first KPI
 * that fails fails the poll with a message naming it; the connection is always closed.
 */
export async function pollSql(request: Request, open: OpenSession = openSqlSession): Promise<Sample[]> {
  const config = parseSqlConfig(request.source);
  checkRange(request.since, request.until);
  const plans = request.kpis.flatMap((k) => planSqlKpi(k) ?? []);
  const jobs = plans.map((plan) => ({ plan, statement: bindPlan(plan, config, request) }));
  if (jobs.length === 0) return [];
  const target = readSqlTarget(request.source, config.dialect, request.secret);
  const options: SessionOptions = {
    statementTimeoutMs: config.statement_timeout_ms,
    connectTimeoutMs: config.connect_timeout_ms,
    timezone: request.timezone,
    until: request.until,
  };
  let session: SqlSession;
  try {
    session = await open(target, options);
  } catch (e) {
    throw connectFailed(
      e,
      request.source.name,
      target,
      request.source.secret_env ?? "the source's secret",
      config.connect_timeout_ms,
    );
  }
  const samples: Sample[] = [];
  let failure: unknown = null;
  try {
    for (const { plan, statement } of jobs) {
      samples.push(...(await runKpi(session, plan, statement, config, request)));
    }
  } catch (e) {
    failure = e;
  }
  try {
    await session.close();
  } catch (e) {
    // A close failure matters only when every statement went through.
    if (failure === null) failure = e;
  }
  if (failure === null) return samples;
  if (isClgError(failure)) throw failure;
  throw new ClgError(
    "clg_source_failed",
    `SQL source "${request.source.name}": the connection to ${describeTarget(target)} failed: ${driverMessage(failure)}`,
    { hint: "Check the server's logs; the next poll opens a new connection.", cause: failure },
  );
}

/** At apply: the config, and each KPI's statement read and its `:since` / `:until` bound without a server. */
function validateSql(source: SourceDefinition, kpis: readonly KpiDefinition[]): ConnectorIssue[] {
  const parsed = sqlConfigSchema.safeParse(source.config);
  if (!parsed.success) return zodIssues(parsed.error, "source", "config");
  const issues: ConnectorIssue[] = [];
  for (const kpi of kpis) {
    try {
      const plan = planSqlKpi(kpi);
      if (plan)
        bindPlan(plan, parsed.data, {
          source,
          kpis,
          since: "2000-01-01",
          until: "2000-01-01",
          timezone: "UTC",
          secret: null,
        });
    } catch (e) {
      issues.push(thrownIssue(kpi.slug, e));
    }
  }
  return issues;
}

/** A database answers with what it holds now: a day is final once it has ended. */
export const sqlConnector: Connector = {
  kind: "sql",
  needsSecret: true,
  completeLagHours: 0,
  validate: validateSql,
  fetch: (request) => pollSql(request),
};
