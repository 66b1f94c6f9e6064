import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError } from "../../errors.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import { zodIssues } from "../common/config-issues.ts";
import { guardedGet } from "../common/guarded-fetch.ts";
import type { ResolveHost } from "../common/public-address.ts";
import { withRetry } from "../common/retry.ts";
import type { Connector, ConnectorIssue, PollRequest } from "../connector.ts";
import { RowReader } from "../sql/read-rows.ts";
import { COLUMNS_BY_AGGREGATION, rowsToSamples } from "../sql/rows-to-samples.ts";
import {
  type HttpCsvConfig,
  type HttpCsvQuery,
  httpCsvConfigSchema,
  httpCsvQuerySchema,
} from "./http-csv-config.ts";
import { csvRows, jsonRows, parseJson, type Row } from "./read-document.ts";

type Polled = keyof typeof COLUMNS_BY_AGGREGATION;

function failed(message: string, hint: string, cause?: unknown): ClgError {
  return new ClgError("clg_source_failed", message, { hint, cause });
}

/** The URL without its query string: published-sheet and API URLs may carry keys there. */
const shown = (u: URL) => `${u.origin}${u.pathname}`;

const HINTS: Record<number, string> = {
  401: "Check the secret in secret_env and config.auth_header / auth_scheme, then apply the catalog again.",
  403: "The credentials were accepted but may not read this URL: check their permissions.",
  404: "Check the URL (for a Google Sheet: File > Share > Publish to web, as CSV).",
  429: "The service's rate limit or quota was reached; poll less often or raise the quota.",
};

function parseConfig(source: Pick<SourceDefinition, "name" | "config">): HttpCsvConfig {
  const parsed = httpCsvConfigSchema.safeParse(source.config);
  if (parsed.success) return parsed.data;
  const issue = zodIssues(parsed.error, "source", "config")[0];
  throw failed(
    `The config of HTTP source "${source.name}" is not valid: ${issue?.at.join(".")}: ${issue?.message}.`,
    "Write config: { url: https://..., format: json | csv }.",
  );
}

function parseQuery(kpi: KpiDefinition): HttpCsvQuery {
  const parsed = httpCsvQuerySchema.safeParse(kpi.query);
  if (parsed.success) return parsed.data;
  const issue = zodIssues(parsed.error, { kpi: kpi.slug }, "query")[0];
  throw failed(
    `KPI "${kpi.slug}": ${issue?.at.join(".")}: ${issue?.message}.`,
    "Write query: { jsonpath: $.data[*], fields: { day: date, value: count } }.",
  );
}

function validateHttpCsv(source: SourceDefinition, kpis: readonly KpiDefinition[]): ConnectorIssue[] {
  const parsed = httpCsvConfigSchema.safeParse(source.config);
  const issues = parsed.success ? [] : zodIssues(parsed.error, "source", "config");
  if (parsed.success && parsed.data.auth_header && source.secret_env === undefined) {
    issues.push({
      on: "source",
      at: ["secret_env"],
      message: `config.auth_header needs the variable that holds its value (secret_env: MY_VARIABLE)`,
    });
  }
  for (const kpi of kpis) {
    const q = httpCsvQuerySchema.safeParse(kpi.query);
    if (!q.success) issues.push(...zodIssues(q.error, { kpi: kpi.slug }, "query"));
    else if (parsed.success && parsed.data.format === "csv" && q.data.jsonpath !== undefined)
      issues.push({
        on: { kpi: kpi.slug },
        at: ["query", "jsonpath"],
        message: "a CSV source has no jsonpath",
      });
  }
  return issues;
}

/** The KPI's URL with `{since}` / `{until}` filled in. */
function urlFor(config: HttpCsvConfig, query: HttpCsvQuery, since: string, until: string): URL {
  const template = query.url ?? config.url;
  return new URL(template.replaceAll("{since}", since).replaceAll("{until}", until));
}

/** Maps the document's fields to the column names the shared row reader knows, for one KPI. */
function toColumns(
  rows: readonly Row[],
  kpi: KpiDefinition & { aggregation: { kind: Polled } },
  q: HttpCsvQuery,
) {
  const wanted = ["day", ...COLUMNS_BY_AGGREGATION[kpi.aggregation.kind], "segment"] as const;
  const present = wanted.filter((c) => c !== "segment" || q.fields.segment !== undefined);
  const mapped = rows.map((row) => {
    const out: Row = {};
    for (const c of present) {
      const field = q.fields[c as keyof HttpCsvQuery["fields"]] ?? c;
      let v = row[field];
      if (c === "segment" && q.segment_dimension && v !== null && v !== undefined && v !== "")
        v = `${q.segment_dimension}:${String(v)}`;
      if (v !== undefined) out[c] = v;
    }
    return out;
  });
  // A field no row has is reported by the reader as a missing column, with the field names it saw.
  const seen = new Set(mapped.flatMap((r) => Object.keys(r)));
  return { columns: present.filter((c) => seen.has(c) || mapped.length === 0), rows: mapped };
}

export interface HttpCsvDeps {
  resolve?: ResolveHost;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads a JSON endpoint (rows picked with JSONPath) or a CSV file, once per distinct URL in a poll, and
 * turns each KPI's rows into samples with the same rules (and messages) as the SQL source. Only public
 * addresses are fetched unless the source allows private ones; a failed answer names its status.
 */
export async function pollHttpCsv(request: PollRequest, deps: HttpCsvDeps = {}): Promise<Sample[]> {
  const config = parseConfig(request.source);
  const what = `HTTP source "${request.source.name}"`;
  const headers: Record<string, string> = {
    accept: config.format === "json" ? "application/json" : "text/csv",
    "user-agent": "clg-bot",
  };
  if (config.auth_header) {
    if (!request.secret) {
      throw failed(
        `${what} sends ${config.auth_header} but has no value for it: ${request.source.secret_env ?? "secret_env"} was not set when the catalog was applied.`,
        "Set the variable where clg runs and apply the catalog again.",
      );
    }
    headers[config.auth_header] = config.auth_scheme
      ? `${config.auth_scheme} ${request.secret}`
      : request.secret;
  }
  const documents = new Map<string, Promise<unknown>>();
  const load = (url: URL) => {
    const key = url.toString();
    let doc = documents.get(key);
    if (!doc) {
      doc = download(url, config, headers, request, deps, what);
      documents.set(key, doc);
    }
    return doc;
  };
  const samples: Sample[] = [];
  for (const kpi of request.kpis) {
    if (kpi.aggregation.kind === "formula") continue;
    const query = parseQuery(kpi);
    const document = await load(urlFor(config, query, request.since, request.until));
    const rows =
      config.format === "csv"
        ? (document as Row[])
        : jsonRows(document, query.jsonpath, `${what}, KPI "${kpi.slug}"`);
    const polled = kpi as KpiDefinition & { aggregation: { kind: Polled } };
    const reader = new RowReader(kpi, toColumns(rows, polled, query));
    for (const s of rowsToSamples(reader, polled.aggregation)) {
      if (s.day >= request.since && s.day <= request.until) samples.push(s);
    }
  }
  return samples;
}

async function download(
  url: URL,
  config: HttpCsvConfig,
  headers: Record<string, string>,
  request: PollRequest,
  deps: HttpCsvDeps,
  what: string,
): Promise<unknown> {
  const response = await withRetry(
    () =>
      guardedGet(url, {
        fetch: request.fetch,
        allowPrivate: config.allow_private_addresses,
        headers,
        what,
        ...(deps.resolve ? { resolve: deps.resolve } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      }),
    {
      what: `${what} (${shown(url)})`,
      ...(deps.sleep ? { sleep: deps.sleep } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    },
  );
  if (!response.ok) {
    await response.body?.cancel();
    throw failed(
      `${what}: GET ${shown(url)} answered ${response.status} ${response.statusText}.`.replace(/ \.$/, "."),
      HINTS[response.status] ?? "Check the URL and that the service is up; the next poll tries again.",
    );
  }
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > config.max_bytes) {
    await response.body?.cancel();
    throw failed(
      `${what}: ${shown(url)} is ${length} bytes, more than config.max_bytes (${config.max_bytes}).`,
      "Raise config.max_bytes or serve less history.",
    );
  }
  const text = await response.text();
  if (text.length > config.max_bytes) {
    throw failed(
      `${what}: ${shown(url)} is more than config.max_bytes (${config.max_bytes}).`,
      "Raise config.max_bytes or serve less history.",
    );
  }
  return config.format === "csv" ? csvRows(text, what) : parseJson(text, what);
}

/** Whatever the service holds now; a day is final once it has ended. */
export const httpCsvConnector: Connector = {
  kind: "http_csv",
  needsSecret: false,
  completeLagHours: 0,
  validate: validateHttpCsv,
  fetch: (request) => pollHttpCsv(request),
};
