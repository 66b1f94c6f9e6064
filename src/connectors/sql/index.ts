export { ACTIVATION_COLUMNS } from "./activation-rows.ts";
export { planSqlKpi, type SqlKpiPlan, type SqlKpiQuery, sqlKpiQuerySchema } from "./kpi-query.ts";
export { bindNamedParams } from "./named-params.ts";
export { COLUMNS_BY_AGGREGATION } from "./rows-to-samples.ts";
export {
  parseSqlConfig,
  SQL_DIALECTS,
  type SqlConfig,
  type SqlDialect,
  sqlConfigSchema,
} from "./sql-config.ts";
export { type OpenSession, openSqlSession, pollSql, sqlConnector } from "./sql-connector.ts";
export type { SessionOptions, SqlRows, SqlSession } from "./sql-session.ts";
export { readSqlTarget, type SqlTarget } from "./sql-target.ts";
