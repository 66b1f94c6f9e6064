import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pollSource } from "../../../src/app/poll-source.ts";
import { loadWorkspaceCatalog } from "../../../src/app/workspace-catalog.ts";
import { applyCatalog, parseCatalogText } from "../../../src/catalog/index.ts";
import { httpCsvConnector, pollHttpCsv } from "../../../src/connectors/http-csv/index.ts";
import { testSource } from "../../../src/connectors/test-source.ts";
import { loadSamples } from "../../../src/db/samples-repository.ts";
import { getSource } from "../../../src/db/sources-repository.ts";
import { addDays } from "../../../src/kpi/days.ts";
import type { KpiDefinition } from "../../../src/kpi/definition.ts";
import { openTestRuntime, type TestRuntime } from "../../support/test-runtime.ts";
import { openStandIn, type StandIn } from "./stand-in.ts";

const KEY = "k".repeat(32);
const TOKEN = "hd_live_0123456789abcdef";

/** The helpdesk's daily numbers: tickets and first-contact resolutions; day 2026-11-20 arrives late. */
const late = new Map<string, number>();
function helpdeskDay(day: string) {
  const n = Number(day.slice(8, 10)) + Number(day.slice(5, 7));
  return { date: day, tickets: late.get(day) ?? 40 + n, resolved: 20 + n, plan: "pro" };
}

let api: StandIn;
let rt: TestRuntime;

function catalogText(extraKpi = "") {
  return `
timezone: UTC
sources:
  - name: helpdesk
    kind: http_csv
    config:
      url: "${api.url}/export?from={since}&to={until}"
      format: json
      auth_header: Authorization
      auth_scheme: Bearer
      allow_private_addresses: true
      history_days: 60
      timeout_ms: 2000
    secret_env: HELPDESK_TOKEN
kpis:
  - slug: tickets
    name: Tickets
    stage: customer_success
    unit: count
    direction: down
    aggregation: { kind: count }
    source: helpdesk
    query: { jsonpath: "$.data[*]", fields: { day: date, value: tickets } }
${extraKpi}`;
}

const FCR = `  - slug: fcr
    name: First-contact resolution
    stage: customer_success
    unit: percent
    direction: up
    aggregation: { kind: ratio, scale: 100 }
    source: helpdesk
    dimensions: [plan]
    query: { jsonpath: "$.data[*]", fields: { day: date, numerator: resolved, denominator: tickets } }
`;

async function apply(text: string) {
  await applyCatalog(rt.db, {
    workspace: "local",
    catalog: parseCatalogText(text, "catalog.yaml"),
    actor: "test",
    secrets: (name) => (name === "HELPDESK_TOKEN" ? TOKEN : undefined),
    secretKey: KEY,
    now: rt.clock.now(),
  });
}

async function poll(range = {}) {
  const row = await getSource(rt.db, "local", "helpdesk");
  if (!row) throw new Error("no source");
  return pollSource(rt.pollDeps, await loadWorkspaceCatalog(rt.db, "local"), row, range);
}

beforeAll(async () => {
  api = await openStandIn((url, req) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return { status: 401, body: JSON.stringify({ error: "invalid token" }) };
    if (url.pathname === "/slow") return { hang: true };
    const from = url.searchParams.get("from") ?? "";
    const to = url.searchParams.get("to") ?? "";
    const data = [];
    for (let d = from; d <= to; d = addDays(d, 1)) data.push(helpdeskDay(d));
    return { body: JSON.stringify({ data, next: null }) };
  });
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_SECRET_KEY: KEY } });
  await apply(catalogText());
});
afterAll(async () => {
  await rt?.close();
  await api?.close();
});
beforeEach(() => {
  api.requests.length = 0;
});

describe("an HTTP JSON source through the poller", () => {
  it("backfills a new source over its history, sending the header auth", async () => {
    rt.clock.set("2026-11-23T08:00:00Z");
    const r = await poll();
    expect(r).toMatchObject({ ok: true, since: "2026-09-24", until: "2026-11-22", samples: 60 });
    expect(api.requests[0]?.path).toBe("/export?from=2026-09-24&to=2026-11-22");
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("re-reads recent days for late data; an unchanged day is not rewritten", async () => {
    late.set("2026-11-21", 999);
    rt.clock.set("2026-11-24T08:00:00Z");
    const r = await poll();
    // Its watermark is 11-22: it re-reads three days back (11-19) up to 11-23.
    expect(api.requests.map((q) => q.path)).toEqual(["/export?from=2026-11-19&to=2026-11-23"]);
    expect(r).toMatchObject({ ok: true, samples: 5, written: 2 }); // 11-21 changed, 11-23 new
    const [day] = await loadSamples(rt.db, "local", ["tickets"], { start: "2026-11-21", end: "2026-11-21" });
    expect(day?.value).toBe(999);
  });

  it("backfills a KPI added to the old source over its own history while its sibling re-reads a few days", async () => {
    await apply(catalogText(FCR));
    rt.clock.set("2026-11-25T08:00:00Z");
    const r = await poll();
    expect(r.ok).toBe(true);
    expect(api.requests.map((q) => q.path).sort()).toEqual([
      "/export?from=2026-09-26&to=2026-11-24", // fcr: 60 days
      "/export?from=2026-11-20&to=2026-11-24", // tickets: its recent days
    ]);
    const fcr = await loadSamples(rt.db, "local", ["fcr"], { start: "2026-09-01", end: "2026-11-30" });
    expect(fcr).toHaveLength(60);
    expect(fcr[0]).toMatchObject({ day: "2026-09-26", num: 20 + 26 + 9, den: 40 + 26 + 9 });
  });

  it("fetches 400 days for every KPI with --backfill 400d", async () => {
    const r = await poll({ backfillDays: 400 });
    expect(r).toMatchObject({ ok: true, since: "2025-10-21", until: "2026-11-24", samples: 800 });
    expect(api.requests).toHaveLength(1); // both KPIs share the URL: one request
  });

  it("tries each KPI on its own in a source test", async () => {
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const kpis = catalog.kpis.filter((k) => k.source === "helpdesk");
    const broken = kpis.map((k) =>
      k.slug === "fcr"
        ? ({
            ...k,
            query: { ...k.query, fields: { day: "date", numerator: "solved", denominator: "tickets" } },
          } as KpiDefinition)
        : k,
    );
    const row = await getSource(rt.db, "local", "helpdesk");
    const results = await testSource(httpCsvConnector, {
      source: {
        name: "helpdesk",
        kind: "http_csv",
        schedule: "0 * * * *",
        config: row?.config ?? {},
        secret_env: "HELPDESK_TOKEN",
      },
      kpis: broken,
      until: "2026-11-24",
      timezone: "UTC",
      secret: TOKEN,
      fetch,
    });
    expect(results[0]).toMatchObject({ kpi: "tickets", ok: true, samples: 3 });
    expect(results[1]).toMatchObject({ kpi: "fcr", ok: false });
    expect(results[1]?.ok === false && results[1].error).toContain("missing numerator");
  });
});

describe("HTTP source failures", () => {
  const request = (
    config: Record<string, unknown>,
    query: Record<string, unknown> = {},
    secret: string | null = TOKEN,
  ) => ({
    source: {
      name: "helpdesk",
      kind: "http_csv" as const,
      schedule: "0 * * * *",
      config: {
        format: "json",
        allow_private_addresses: true,
        auth_header: "Authorization",
        auth_scheme: "Bearer",
        ...config,
      },
      secret_env: "HELPDESK_TOKEN",
    },
    kpis: [
      {
        slug: "tickets",
        dimensions: [],
        aggregation: { kind: "count" },
        query: { jsonpath: "$.data[*]", fields: { day: "date", value: "tickets" }, ...query },
      } as unknown as KpiDefinition,
    ],
    since: "2026-11-01",
    until: "2026-11-03",
    timezone: "UTC",
    secret,
    fetch,
  });

  it("bad credentials: the status and what to check", async () => {
    await expect(pollHttpCsv(request({ url: `${api.url}/export` }, {}, "wrong"))).rejects.toThrow(
      /HTTP source "helpdesk": GET http:\/\/127\.0\.0\.1:\d+\/export answered 401 Unauthorized\./,
    );
  });

  it("a source that never answers fails at its timeout, keeping the stored samples", async () => {
    const before = await loadSamples(rt.db, "local", ["tickets"], { start: "2025-01-01", end: "2026-12-31" });
    await apply(catalogText().replace("/export?from={since}&to={until}", "/slow"));
    const started = Date.now();
    const r = await poll();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r).toMatchObject({ ok: false, notifyAdmins: true });
    expect(r.ok === false && r.error).toBe(
      'Source "helpdesk" did not finish its poll within 2 s and was stopped.',
    );
    const after = await loadSamples(rt.db, "local", ["tickets"], { start: "2025-01-01", end: "2026-12-31" });
    expect(after).toEqual(before);
    const row = await getSource(rt.db, "local", "helpdesk");
    expect(row?.last_error).toContain("did not finish");
  });

  it.each([
    ["NaN", "NaN", /the row for 2026-11-01 has value = "NaN", which is not a finite number/],
    ["null", null, /the row for 2026-11-01 has value = null/],
    ["text", "many", /value = "many", which is not a finite number/],
  ])("%s in a response fails naming the day and the field", async (_name, bad, expected) => {
    const odd = await openStandIn(() => ({
      body: JSON.stringify({ data: [{ date: "2026-11-01", tickets: bad }] }),
    }));
    try {
      await expect(pollHttpCsv(request({ url: odd.url }))).rejects.toThrow(expected);
    } finally {
      await odd.close();
    }
  });

  it("reads a CSV (a published Google Sheet) with a segment column", async () => {
    const sheet = await openStandIn(() => ({
      headers: { "content-type": "text/csv" },
      body: "\uFEFFDay,Responses,Plan\n2026-11-01,12,\n2026-11-01,5,pro\n2026-11-02,9,\n",
    }));
    try {
      const samples = await pollHttpCsv({
        ...request({ url: `${sheet.url}/pub?output=csv`, format: "csv", auth_header: undefined }, {}, null),
        kpis: [
          {
            slug: "answers",
            dimensions: ["plan"],
            aggregation: { kind: "count" },
            query: { fields: { day: "Day", value: "Responses", segment: "Plan" }, segment_dimension: "plan" },
          } as unknown as KpiDefinition,
        ],
      });
      expect(samples.map((s) => [s.day, s.segment, s.value])).toEqual([
        ["2026-11-01", "", 12],
        ["2026-11-01", "plan:pro", 5],
        ["2026-11-02", "", 9],
      ]);
    } finally {
      await sheet.close();
    }
  });
});

describe("no requests to private addresses through the catalog", () => {
  const source = (url: string, allow?: boolean) => ({
    source: {
      name: "hook",
      kind: "http_csv" as const,
      schedule: "0 * * * *",
      config: { url, format: "json", ...(allow === undefined ? {} : { allow_private_addresses: allow }) },
    },
    kpis: [
      { slug: "k", dimensions: [], aggregation: { kind: "count" }, query: {} } as unknown as KpiDefinition,
    ],
    since: "2026-11-01",
    until: "2026-11-01",
    timezone: "UTC",
    secret: null,
    fetch,
  });

  it("refuses loopback unless the source allows it", async () => {
    await expect(pollHttpCsv(source(`${api.url}/export`))).rejects.toThrow(
      /is a loopback address; sources may only reach public addresses/,
    );
    expect(api.requests).toHaveLength(0);
  });

  it.each([
    ["10.0.0.8", "private"],
    ["169.254.169.254", "linkLocal"],
    ["fd12::1", "uniqueLocal"],
    ["::ffff:127.0.0.1", "loopback"],
  ])("refuses a host resolving to %s (%s), checking every address", async (address, range) => {
    await expect(
      pollHttpCsv(source("https://data.example.com/x.json"), {
        resolve: async () => ["93.184.216.34", address],
      }),
    ).rejects.toThrow(`data.example.com resolves to ${address}, a ${range} address`);
  });

  it("refuses a name that answers with a public address at the check and a private one at the connection", async () => {
    const answers = [["93.184.216.34"], ["127.0.0.1"]];
    const lookups: string[] = [];
    // DNS rebinding: the first answer passes the check, the next sends the socket to loopback.
    const rebinding = async (host: string) => {
      lookups.push(host);
      return answers[Math.min(lookups.length - 1, answers.length - 1)] as string[];
    };
    const port = new URL(api.url).port;
    await expect(
      pollHttpCsv(source(`http://rebind.example.com:${port}/export`), { resolve: rebinding }),
    ).rejects.toThrow(
      `HTTP source "hook": rebind.example.com:${port} resolves to 127.0.0.1, a loopback address, when connecting; sources may only reach public addresses.`,
    );
    expect(lookups).toEqual(["rebind.example.com", "rebind.example.com"]);
    expect(api.requests).toHaveLength(0);
  });

  it("refuses a redirect from a public host to a private one", async () => {
    const bounce = await openStandIn(() => ({
      status: 302,
      headers: { location: "http://169.254.169.254/latest/meta-data/" },
    }));
    const port = new URL(bounce.url).port;
    // The public name is answered by the local stand-in, as a public server would answer.
    const publicFetch: typeof fetch = (input, init) =>
      fetch(String(input).replace("public.example.com", `127.0.0.1:${port}`), init);
    try {
      await expect(
        pollHttpCsv(
          { ...source("http://public.example.com/data.json"), fetch: publicFetch },
          { resolve: async () => ["93.184.216.34"] },
        ),
      ).rejects.toThrow("169.254.169.254 is a linkLocal address");
      expect(bounce.requests).toHaveLength(1);
    } finally {
      await bounce.close();
    }
  });
});
