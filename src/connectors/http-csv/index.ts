export { httpCsvConfigSchema, httpCsvQuerySchema } from "./http-csv-config.ts";
export { type HttpCsvDeps, httpCsvConnector, pollHttpCsv } from "./http-csv-connector.ts";
