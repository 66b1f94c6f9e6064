import type { SourceDefinition } from "../../catalog/catalog-schema.ts";
import { ClgError } from "../../errors.ts";
import { type ActivationRule, readActivationRule } from "../../kpi/activation-rule.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import { zodIssues } from "../common/config-issues.ts";
import { requestJson } from "../common/http-json.ts";
import type { RetryOptions } from "../common/retry.ts";
import type { Connector, ConnectorIssue, PollRequest } from "../connector.ts";
import { ACCOUNT_LIMIT, activationSamplesFromMixpanel } from "./activation-query.ts";
import {
  MIXPANEL_HOSTS,
  type MixpanelConfig,
  type MixpanelQuery,
  mixpanelConfigSchema,
  mixpanelQuerySchema,
  serviceAccountSecretSchema,
} from "./mixpanel-config.ts";

function failed(message: string, hint: string): ClgError {
  return new ClgError("clg_source_failed", message, { hint });
}

type ActivationQuery = Extract<MixpanelQuery, { signup_event: string }>;

/** The rule of an activation KPI, or the words saying what is wrong with it. */
function activationRule(q: ActivationQuery): { rule: ActivationRule } | { problem: string } {
  try {
    return { rule: readActivationRule(q.activation) };
  } catch (e) {
    return { problem: `query.activation: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function checkQuery(kpi: KpiDefinition, q: MixpanelQuery): string | null {
  if ("signup_event" in q) {
    if (kpi.aggregation.kind !== "ratio")
      return `an activation KPI needs aggregation kind "ratio" (activated / signed up), not "${kpi.aggregation.kind}"`;
    if (q.breakdown && !kpi.dimensions.includes(q.breakdown.as))
      return `query.breakdown.as "${q.breakdown.as}" is not one of the KPI's dimensions`;
    const read = activationRule(q);
    return "problem" in read ? read.problem : null;
  }
  if ("insights_report" in q)
    return ["count", "sum", "latest"].includes(kpi.aggregation.kind)
      ? null
      : `a saved Insights report KPI needs aggregation kind "count", "sum" or "latest", not "${kpi.aggregation.kind}"`;
  if ("funnel_id" in q)
    return kpi.aggregation.kind === "ratio"
      ? null
      : 'a funnel KPI needs aggregation kind "ratio" (converted / entered)';
  if (!["count", "sum", "latest"].includes(kpi.aggregation.kind))
    return `an event KPI needs aggregation kind "count" or "sum", not "${kpi.aggregation.kind}"`;
  if (q.breakdown && !kpi.dimensions.includes(q.breakdown.as))
    return `query.breakdown.as "${q.breakdown.as}" is not one of the KPI's dimensions`;
  return null;
}

function validateMixpanel(source: SourceDefinition, kpis: readonly KpiDefinition[]): ConnectorIssue[] {
  const parsed = mixpanelConfigSchema.safeParse(source.config);
  const issues = parsed.success ? [] : zodIssues(parsed.error, "source", "config");
  for (const kpi of kpis) {
    const q = mixpanelQuerySchema.safeParse(kpi.query);
    const problem = q.success
      ? checkQuery(kpi, q.data)
      : "write query: { event: <name>, type?: general | unique }, { funnel_id: <id> }, { insights_report: <bookmark id>, series?: <name> } or { activation: <rule>, signup_event: <name>, account_property?: <property> }";
    if (problem) issues.push({ on: { kpi: kpi.slug }, at: ["query"], message: problem });
  }
  return issues;
}

function credentials(request: PollRequest): string {
  let raw: unknown = null;
  try {
    raw = JSON.parse(request.secret ?? "");
  } catch {
    // Reported below with the expected shape.
  }
  const parsed = serviceAccountSecretSchema.safeParse(raw);
  const variable = request.source.secret_env ?? "secret_env";
  if (!parsed.success) {
    throw failed(
      `Mixpanel source "${request.source.name}": ${variable} is not a service account ({"username": "...", "secret": "..."}).`,
      `Create a service account (Organization settings > Service accounts) with access to the project, set ${variable}='{"username":"…","secret":"…"}' and apply the catalog again.`,
    );
  }
  return `Basic ${Buffer.from(`${parsed.data.username}:${parsed.data.secret}`).toString("base64")}`;
}

function describeMixpanelError(what: string) {
  return (status: number, body: unknown, text: string) => {
    const words = (body as { error?: string } | null)?.error ?? text;
    if (status === 429)
      return {
        message: `${what}: Mixpanel's query rate limit was reached (${words}).`,
        hint: "Mixpanel allows 60 queries an hour per project; poll less often or use fewer KPIs.",
      };
    if (status === 401 || status === 403)
      return {
        message: `${what}: Mixpanel refused the service account (${status}: ${words}).`,
        hint: "Check the username and secret, and that the service account has access to this project (and region).",
      };
    return {
      message: `${what}: Mixpanel answered ${status}: ${words}`,
      hint: "Check the event name, funnel id and where expression.",
    };
  };
}

type Get = (path: string, params: Record<string, string>, kpi: string) => Promise<unknown>;

function number(v: unknown, kpi: string, day: string, what: string): number {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  throw failed(
    `KPI "${kpi}": Mixpanel gave ${what} = ${JSON.stringify(v)} for ${day}, which is not a number.`,
    "Check the query.",
  );
}

async function eventSamples(
  get: Get,
  kpi: KpiDefinition,
  q: Extract<MixpanelQuery, { event: string }>,
  since: string,
  until: string,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const splits = q.breakdown ? [null, q.breakdown] : [null];
  for (const split of splits) {
    const params: Record<string, string> = {
      event: q.event,
      from_date: since,
      to_date: until,
      unit: "day",
      type: q.type,
    };
    if (q.where) params.where = q.where;
    if (split) {
      params.on = `properties[${JSON.stringify(split.property)}]`;
      params.limit = String(ACCOUNT_LIMIT);
    }
    const answer = (await get("/segmentation", params, kpi.slug)) as {
      data?: { values?: Record<string, Record<string, unknown>> };
    };
    const values = answer.data?.values ?? {};
    if (split && Object.keys(values).length >= ACCOUNT_LIMIT) {
      throw failed(
        `KPI "${kpi.slug}": the breakdown by ${split.property} reached Mixpanel's ${ACCOUNT_LIMIT} values, so some would be left out.`,
        "Break down by a property with fewer values.",
      );
    }
    for (const [key, byDay] of Object.entries(values)) {
      const segment = split ? `${split.as}:${key}` : "";
      if (!split && key !== q.event) continue;
      for (const [day, v] of Object.entries(byDay)) {
        if (day < since || day > until) continue;
        samples.push({
          kpi: kpi.slug,
          day,
          segment,
          value: number(v, kpi.slug, day, q.event),
          num: null,
          den: null,
          dist: null,
        });
      }
    }
  }
  return samples;
}

/**
 * A saved Insights report, as `/insights?bookmark_id=` answers: `series` maps each metric's name to its
 * values by the report's time buckets (`2026-11-01T00:00:00-07:00`), over the report's own date range. A
 * report broken down by a property nests one level deeper; its `$overall` is the total.
 */
async function insightsSamples(
  get: Get,
  kpi: KpiDefinition,
  q: Extract<MixpanelQuery, { insights_report: number }>,
  since: string,
  until: string,
): Promise<Sample[]> {
  const answer = (await get("/insights", { bookmark_id: String(q.insights_report) }, kpi.slug)) as {
    series?: Record<string, Record<string, unknown>>;
  };
  const series = answer.series ?? {};
  const names = Object.keys(series);
  const name = q.series ?? (names.length === 1 ? names[0] : undefined);
  const values = name === undefined ? undefined : series[name];
  if (name === undefined || values === undefined) {
    throw failed(
      `KPI "${kpi.slug}": the Insights report ${q.insights_report} has ${names.length === 0 ? "no series" : `the series ${names.map((n) => `"${n}"`).join(", ")}`}${q.series ? `, not "${q.series}"` : "; say which with query.series"}.`,
      "Name one of the report's series in query.series.",
    );
  }
  const samples: Sample[] = [];
  for (const [bucket, raw] of Object.entries(values)) {
    const day = bucket.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < since || day > until) continue;
    const v = raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>).$overall : raw;
    samples.push({
      kpi: kpi.slug,
      day,
      segment: "",
      value: number(v, kpi.slug, day, name),
      num: null,
      den: null,
      dist: null,
    });
  }
  return samples;
}

async function funnelSamples(
  get: Get,
  kpi: KpiDefinition,
  funnel: number,
  since: string,
  until: string,
): Promise<Sample[]> {
  const answer = (await get(
    "/funnels",
    { funnel_id: String(funnel), from_date: since, to_date: until, unit: "day" },
    kpi.slug,
  )) as {
    data?: Record<string, { steps?: { count?: unknown }[] }>;
  };
  const samples: Sample[] = [];
  for (const [day, { steps = [] }] of Object.entries(answer.data ?? {})) {
    if (day < since || day > until || steps.length === 0) continue;
    const entered = number(steps[0]?.count, kpi.slug, day, "the first step's count");
    const converted = number(steps[steps.length - 1]?.count, kpi.slug, day, "the last step's count");
    samples.push({ kpi: kpi.slug, day, segment: "", value: null, num: converted, den: entered, dist: null });
  }
  return samples;
}

/**
 * Mixpanel's Query API with a service account: segmentation for event counts and unique users (with an
 * optional property breakdown), saved funnels for conversion (entered the first step / reached the last,
 * by day of entry), and a composite activation rule from per-account event counts (segmentation `on` the
 * account property). The region picks the US, EU or India host.
 */
export async function pollMixpanel(request: PollRequest): Promise<Sample[]> {
  const config: MixpanelConfig = mixpanelConfigSchema.parse(request.source.config);
  const auth = credentials(request);
  const base = (config.api_base ?? MIXPANEL_HOSTS[config.region]).replace(/\/$/, "");
  const what = `Mixpanel source "${request.source.name}"`;
  const retry: RetryOptions = {
    what,
    maxRetryAfterMs: 120_000,
    ...(request.signal ? { signal: request.signal } : {}),
  };
  const get: Get = (path, params, kpi) => {
    const url = new URL(`${base}${path}`);
    url.searchParams.set("project_id", config.project_id);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return requestJson(
      () =>
        request.fetch(url, {
          headers: { authorization: auth, accept: "application/json" },
          ...(request.signal ? { signal: request.signal } : {}),
        }),
      retry,
      describeMixpanelError(`${what}, KPI "${kpi}"`),
    );
  };
  const samples: Sample[] = [];
  for (const kpi of request.kpis) {
    if (kpi.aggregation.kind === "formula") continue;
    const q = mixpanelQuerySchema.parse(kpi.query);
    const problem = checkQuery(kpi, q);
    if (problem) throw failed(`KPI "${kpi.slug}": ${problem}.`, "Fix the KPI's query in the catalog.");
    if ("signup_event" in q) {
      const read = activationRule(q);
      if ("problem" in read)
        throw failed(`KPI "${kpi.slug}": ${read.problem}`, "Fix the KPI's query in the catalog.");
      const query = { ...q, rule: read.rule };
      const segmentation = (params: Record<string, string>) => get("/segmentation", params, kpi.slug);
      samples.push(
        ...(await activationSamplesFromMixpanel(segmentation, kpi, query, request.since, request.until)),
      );
      continue;
    }
    if ("insights_report" in q) {
      samples.push(...(await insightsSamples(get, kpi, q, request.since, request.until)));
      continue;
    }
    samples.push(
      ...("funnel_id" in q
        ? await funnelSamples(get, kpi, q.funnel_id, request.since, request.until)
        : await eventSamples(get, kpi, q, request.since, request.until)),
    );
  }
  return samples;
}

/** Late events (offline mobile clients) keep arriving for a while after a day ends. */
export const mixpanelConnector: Connector = {
  kind: "mixpanel",
  needsSecret: true,
  completeLagHours: 24,
  validate: validateMixpanel,
  checkSecret: (secret) => {
    let raw: unknown = null;
    try {
      raw = JSON.parse(secret);
    } catch {
      // Reported below.
    }
    return serviceAccountSecretSchema.safeParse(raw).success
      ? null
      : 'is not a service account: set it to {"username": "...", "secret": "..."}';
  },
  fetch: pollMixpanel,
};
