import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError } from "../../errors.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import { zodIssues } from "../common/config-issues.ts";
import { requestJson } from "../common/http-json.ts";
import type { RetryOptions } from "../common/retry.ts";
import type { Connector, ConnectorIssue, PollRequest } from "../connector.ts";
import { GA4_SCOPE, type Ga4Config, type Ga4Query, ga4ConfigSchema, ga4QuerySchema } from "./ga4-config.ts";
import { accessToken, readServiceAccount } from "./service-account.ts";

function failed(message: string, hint: string): ClgError {
  return new ClgError("clg_source_failed", message, { hint });
}

const RATIO = new Set(["ratio", "mean"]);

function checkQuery(kpi: KpiDefinition, q: Ga4Query): string | null {
  if (RATIO.has(kpi.aggregation.kind)) {
    return q.numerator && q.denominator
      ? null
      : `a ${kpi.aggregation.kind} KPI needs query.numerator and query.denominator (GA4 metric names)`;
  }
  if (kpi.aggregation.kind === "distribution")
    return "GA4 gives no distributions; use count, sum, latest, ratio or mean";
  if (!q.metric)
    return `a ${kpi.aggregation.kind} KPI needs query.metric (a GA4 metric name such as newUsers)`;
  if (q.breakdown && !kpi.dimensions.includes(q.breakdown.as))
    return `query.breakdown.as "${q.breakdown.as}" is not one of the KPI's dimensions`;
  return null;
}

function validateGa4(source: SourceDefinition, kpis: readonly KpiDefinition[]): ConnectorIssue[] {
  const parsed = ga4ConfigSchema.safeParse(source.config);
  const issues = parsed.success ? [] : zodIssues(parsed.error, "source", "config");
  for (const kpi of kpis) {
    const q = ga4QuerySchema.safeParse(kpi.query);
    if (!q.success) issues.push(...zodIssues(q.error, { kpi: kpi.slug }, "query"));
    else {
      const problem = checkQuery(kpi, q.data);
      if (problem) issues.push({ on: { kpi: kpi.slug }, at: ["query"], message: problem });
    }
  }
  return issues;
}

interface ReportRow {
  dimensionValues?: { value?: string }[];
  metricValues?: { value?: string }[];
}
interface Report {
  rows?: ReportRow[];
  rowCount?: number;
  metadata?: {
    subjectToThresholding?: boolean;
    samplingMetadatas?: { samplesReadCount?: string; samplingSpaceSize?: string }[];
    dataLossFromOtherRow?: boolean;
  };
}

const PAGE = 100_000;

/** Google's error body `{ error: { code, message, status } }` in words. */
function describeGoogleError(what: string) {
  return (status: number, body: unknown) => {
    const e = (body as { error?: { message?: string; status?: string } } | null)?.error;
    const words = e?.message ?? "";
    if (status === 429 || e?.status === "RESOURCE_EXHAUSTED")
      return {
        message: `${what}: the GA4 property's quota is used up (${words}).`,
        hint: "GA4 refills tokens hourly and daily; poll less often, or fewer KPIs per source.",
      };
    if (status === 401 || status === 403)
      return {
        message: `${what}: GA4 refused access (${status} ${e?.status ?? ""}: ${words}).`,
        hint: "Add the service account's email as a Viewer of the GA4 property (Admin > Property access management).",
      };
    return {
      message: `${what}: GA4 answered ${status} ${e?.status ?? ""}: ${words}`.trim(),
      hint: "Check the metric and dimension names (GA4 Data API schema) and the filter.",
    };
  };
}

const gaDay = (v: string | undefined) =>
  v && /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : null;

function numberOf(raw: string | undefined, kpi: string, metric: string, day: string): number {
  const n = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
  if (Number.isFinite(n)) return n;
  throw failed(
    `KPI "${kpi}": GA4 gave ${metric} = ${JSON.stringify(raw ?? null)} for ${day}, which is not a number.`,
    "Check the metric name.",
  );
}

async function runReport(
  request: PollRequest,
  config: Ga4Config,
  token: string,
  body: Record<string, unknown>,
  retry: RetryOptions,
  kpi: string,
): Promise<ReportRow[]> {
  const url = `${config.api_base.replace(/\/$/, "")}/v1beta/properties/${config.property_id}:runReport`;
  const rows: ReportRow[] = [];
  // The API may answer fewer rows than asked for: the next page starts after the rows received.
  for (let offset = 0; ; offset = rows.length) {
    const report = (await requestJson(
      () =>
        request.fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ ...body, limit: PAGE, offset }),
          ...(request.signal ? { signal: request.signal } : {}),
        }),
      retry,
      describeGoogleError(`${retry.what}, KPI "${kpi}"`),
    )) as Report;
    const meta = report.metadata ?? {};
    if (meta.samplingMetadatas?.length && !config.accept_sampled) {
      const s = meta.samplingMetadatas[0];
      throw failed(
        `KPI "${kpi}": GA4 sampled this report (${s?.samplesReadCount ?? "?"} of ${s?.samplingSpaceSize ?? "?"} events read), so its numbers are estimates.`,
        "Poll a shorter range, or set config.accept_sampled: true to store estimates.",
      );
    }
    if (meta.subjectToThresholding && !config.accept_thresholded) {
      throw failed(
        `KPI "${kpi}": GA4 withheld rows of this report (data thresholds, applied when Google signals is on or user counts are small).`,
        "Turn off Google signals for reporting identity, drop the demographic breakdown, or set config.accept_thresholded: true.",
      );
    }
    rows.push(...(report.rows ?? []));
    if (rows.length >= (report.rowCount ?? 0) || (report.rows ?? []).length === 0) return rows;
  }
}

/**
 * GA4 Data API `runReport` per KPI: one report by day for the total and, with a breakdown, one by day
 * and dimension. A sampled or thresholded report fails the poll unless the source accepts it.
 */
export async function pollGa4(request: PollRequest): Promise<Sample[]> {
  const config = ga4ConfigSchema.parse(request.source.config);
  const variable = request.source.secret_env ?? "secret_env";
  const what = `GA4 source "${request.source.name}"`;
  const account = readServiceAccount(request.secret, request.source.name, variable);
  const retry: RetryOptions = { what, ...(request.signal ? { signal: request.signal } : {}) };
  const token = await accessToken(
    account,
    GA4_SCOPE,
    config.token_uri ?? account.token_uri,
    request.fetch,
    retry,
    request.now ?? new Date(),
  );
  const samples: Sample[] = [];
  for (const kpi of request.kpis) {
    if (kpi.aggregation.kind === "formula") continue;
    const q = ga4QuerySchema.parse(kpi.query);
    const problem = checkQuery(kpi, q);
    if (problem) throw failed(`KPI "${kpi.slug}": ${problem}.`, "Fix the KPI's query in the catalog.");
    const ratio = RATIO.has(kpi.aggregation.kind);
    const metrics = ratio ? [q.numerator as string, q.denominator as string] : [q.metric as string];
    const splits = q.breakdown ? [null, q.breakdown] : [null];
    for (const split of splits) {
      const rows = await runReport(
        request,
        config,
        token,
        {
          dateRanges: [{ startDate: request.since, endDate: request.until }],
          dimensions: [{ name: "date" }, ...(split ? [{ name: split.dimension }] : [])],
          metrics: metrics.map((name) => ({ name })),
          ...(q.dimension_filter ? { dimensionFilter: q.dimension_filter } : {}),
          keepEmptyRows: true,
          returnPropertyQuota: true,
        },
        retry,
        kpi.slug,
      );
      for (const row of rows) {
        const day = gaDay(row.dimensionValues?.[0]?.value);
        if (day === null || day < request.since || day > request.until) continue;
        const value = row.dimensionValues?.[1]?.value;
        const segment = split ? `${split.as}:${value ?? "(not set)"}` : "";
        const vals = metrics.map((m, i) => numberOf(row.metricValues?.[i]?.value, kpi.slug, m, day));
        samples.push({
          kpi: kpi.slug,
          day,
          segment,
          value: ratio ? null : (vals[0] as number),
          num: ratio ? (vals[0] as number) : null,
          den: ratio ? (vals[1] as number) : null,
          dist: null,
        });
      }
    }
  }
  return samples;
}

/** GA4 keeps processing a day's events for up to 48 hours after it ends (standard properties). */
export const ga4Connector: Connector = {
  kind: "ga4",
  needsSecret: true,
  completeLagHours: 48,
  validate: validateGa4,
  checkSecret: (secret) => {
    try {
      readServiceAccount(secret, "", "");
      return null;
    } catch {
      return "is not a service-account JSON key (type, client_email, private_key): set it to the whole key file";
    }
  },
  fetch: pollGa4,
};
