import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIXPANEL_HOSTS, mixpanelConnector, pollMixpanel } from "../../../src/connectors/mixpanel/index.ts";
import { addDays } from "../../../src/kpi/days.ts";
import type { KpiDefinition } from "../../../src/kpi/definition.ts";
import { openStandIn, type StandIn } from "../http-csv/stand-in.ts";

const ACCOUNT = { username: "clg-reader.abc123.mp-service-account", secret: "s3cr3tS3cr3tS3cr3t" };
const BASIC = `Basic ${Buffer.from(`${ACCOUNT.username}:${ACCOUNT.secret}`).toString("base64")}`;

let mixpanel: StandIn;

/** Per-account daily counts of each event (sign-ups and the activation rule's events). */
const ACCOUNT_EVENTS: Record<string, Record<string, Record<string, number>>> = {
  "Trial started": {
    a1: { "2026-10-01": 1 },
    a2: { "2026-10-01": 1 },
    a3: { "2026-10-02": 1 },
    a4: { "2026-10-02": 1 },
    a5: { "2026-10-15": 1 },
    undefined: { "2026-10-01": 4 },
  },
  data_source_connected: {
    a1: { "2026-10-02": 1 },
    a2: { "2026-10-02": 1 },
    a4: { "2026-10-02": 1 },
    a0: { "2026-10-03": 3 },
  },
  dashboard_viewed: {
    a1: { "2026-10-03": 1, "2026-10-07": 1 },
    a2: { "2026-10-08": 2 },
    a3: { "2026-10-03": 5 },
    a4: { "2026-10-02": 2 },
    a0: { "2026-10-04": 9 },
  },
};

/** Each account's plan, a property of its sign-up event. */
const PLANS: Record<string, string> = { a1: "pro", a2: "free", a3: "pro", a4: "free", a5: "pro" };

/**
 * Segmentation `on` an account property, as documented: every account's count on every day of the series
 * (zeros included), cut to the top `limit` accounts (60 unless asked).
 */
function accountSegmentation(url: URL, days: string[]) {
  const limit = Number(url.searchParams.get("limit") ?? 60);
  const event = url.searchParams.get("event") ?? "";
  const plan = /^properties\["plan"\] == "(\w+)"$/.exec(url.searchParams.get("where") ?? "")?.[1];
  const counts: Record<string, Record<string, number>> = plan === "huge"
    ? Object.fromEntries(Array.from({ length: limit + 5 }, (_, i) => [`acct${i}`, { [days[0] ?? ""]: 1 }]))
    : Object.fromEntries(
        Object.entries(ACCOUNT_EVENTS[event] ?? {}).filter(([a]) => !plan || PLANS[a] === plan),
      );
  const values = Object.fromEntries(
    Object.entries(counts)
      .slice(0, limit)
      .map(([account, byDay]) => [account, Object.fromEntries(days.map((d) => [d, byDay[d] ?? 0]))]),
  );
  return { data: { series: days, values }, legend_size: Object.keys(values).length };
}

/** The Query API's segmentation and funnels answers, as documented, with Basic auth and a 400 for a bad event. */
beforeAll(async () => {
  mixpanel = await openStandIn((url, req) => {
    const send = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
    if (req.headers.authorization !== BASIC)
      return send(401, { error: "Invalid service account credentials", request: url.pathname });
    if (url.searchParams.get("project_id") !== "2195193")
      return send(400, { error: "project_id is required" });
    if (url.pathname === "/api/query/insights") {
      // A saved report over its own date range, by day in the project's time zone.
      const buckets = ["2026-10-31", "2026-11-01", "2026-11-02", "2026-11-03"];
      const at = (d: string) => `${d}T00:00:00-07:00`;
      const day = (d: string) => Number(d.slice(8, 10));
      const id = url.searchParams.get("bookmark_id");
      if (id === "404") return send(400, { error: "bookmark 404 not found", request: url.pathname });
      const series =
        id === "9001"
          ? { "Report viewed": Object.fromEntries(buckets.map((d) => [at(d), day(d) * 3])) }
          : id === "9002"
            ? {
                "Report viewed": Object.fromEntries(
                  buckets.map((d) => [at(d), { $overall: day(d), pro: 1 }]),
                ),
                "Report shared": Object.fromEntries(buckets.map((d) => [at(d), { $overall: 2 * day(d) }])),
              }
            : { "Report viewed": { [at("2026-11-01")]: "NaN" } };
      return send(200, {
        computed_at: "2026-11-04T10:00:00.000000+00:00",
        date_range: { from_date: at(buckets[0] ?? ""), to_date: "2026-11-03T23:59:59.999000-07:00" },
        headers: id === "9002" ? ["$event", "plan"] : ["$event"],
        series,
      });
    }
    const from = url.searchParams.get("from_date") ?? "";
    const to = url.searchParams.get("to_date") ?? "";
    const days: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
    const n = (d: string) => Number(d.slice(8, 10));
    if (
      url.pathname === "/api/query/segmentation" &&
      url.searchParams.get("on") === 'properties["account_id"]'
    )
      return send(200, accountSegmentation(url, days));
    if (url.pathname === "/api/query/segmentation") {
      const event = url.searchParams.get("event") ?? "";
      if (event === "Nope") return send(400, { error: "Event 'Nope' has no data", request: url.pathname });
      const unique = url.searchParams.get("type") === "unique";
      const values = url.searchParams.get("on")
        ? {
            pro: Object.fromEntries(days.map((d) => [d, n(d)])),
            free: Object.fromEntries(days.map((d) => [d, 2 * n(d)])),
          }
        : { [event]: Object.fromEntries(days.map((d) => [d, unique ? n(d) : 10 * n(d)])) };
      return send(200, { data: { series: days, values }, legend_size: Object.keys(values).length });
    }
    if (url.pathname === "/api/query/funnels") {
      const data = Object.fromEntries(
        days.map((d) => [
          d,
          {
            steps: [
              {
                count: 100,
                step_conv_ratio: 1,
                overall_conv_ratio: 1,
                event: "Trial started",
                goal: "Trial started",
              },
              {
                count: 40,
                step_conv_ratio: 0.4,
                overall_conv_ratio: 0.4,
                event: "Report shared",
                goal: "Report shared",
              },
              {
                count: n(d),
                step_conv_ratio: n(d) / 40,
                overall_conv_ratio: n(d) / 100,
                event: "Upgraded",
                goal: "Upgraded",
              },
            ],
            analysis: { completion: n(d), starting_amount: 100, steps: 3, worst: 1 },
          },
        ]),
      );
      return send(200, { meta: { dates: days }, data });
    }
    return send(404, { error: "not found" });
  });
});
afterAll(async () => {
  await mixpanel?.close();
});

const kpi = (slug: string, kind: string, query: Record<string, unknown>, dimensions: string[] = []) =>
  ({ slug, dimensions, aggregation: { kind }, query }) as unknown as KpiDefinition;

function request(
  kpis: KpiDefinition[],
  secret = JSON.stringify(ACCOUNT),
  config: Record<string, unknown> = { region: "eu", api_base: `${mixpanel.url}/api/query` },
  days = { since: "2026-11-01", until: "2026-11-03" },
  fetcher: typeof fetch = fetch,
) {
  return {
    source: {
      name: "product",
      kind: "mixpanel" as const,
      schedule: "0 7 * * *",
      config: { project_id: 2195193, ...config },
      secret_env: "MIXPANEL_SERVICE_ACCOUNT",
    },
    kpis,
    ...days,
    timezone: "UTC",
    secret,
    fetch: fetcher,
  };
}

describe("Mixpanel's Query API with a service account", () => {
  it("counts events, unique users with a breakdown, and a funnel's conversion by day", async () => {
    const samples = await pollMixpanel(
      request([
        kpi("searches", "count", { event: "Search" }),
        kpi(
          "searchers",
          "count",
          { event: "Search", type: "unique", breakdown: { property: "plan", as: "plan" } },
          ["plan"],
        ),
        kpi("upgrade_rate", "ratio", { funnel_id: 7781 }),
      ]),
    );
    const on = (k: string, day: string) => samples.filter((s) => s.kpi === k && s.day === day);
    expect(on("searches", "2026-11-02").map((s) => s.value)).toEqual([20]);
    expect(on("searchers", "2026-11-02").map((s) => [s.segment, s.value])).toEqual([
      ["", 2],
      ["plan:pro", 2],
      ["plan:free", 4],
    ]);
    expect(on("upgrade_rate", "2026-11-03")).toEqual([
      { kpi: "upgrade_rate", day: "2026-11-03", segment: "", value: null, num: 3, den: 100, dist: null },
    ]);
    const paths = mixpanel.requests.map((r) => decodeURIComponent(r.path));
    expect(paths).toContain(
      '/api/query/segmentation?project_id=2195193&event=Search&from_date=2026-11-01&to_date=2026-11-03&unit=day&type=unique&on=properties["plan"]&limit=10000',
    );
    expect(paths.some((p) => p.startsWith("/api/query/funnels?project_id=2195193&funnel_id=7781"))).toBe(
      true,
    );
  });

  it("names the KPI when Mixpanel refuses a query, and says when the service account is wrong", async () => {
    await expect(pollMixpanel(request([kpi("bad", "count", { event: "Nope" })]))).rejects.toThrow(
      `Mixpanel source "product", KPI "bad": Mixpanel answered 400: Event 'Nope' has no data`,
    );
    await expect(
      pollMixpanel(
        request([kpi("x", "count", { event: "Search" })], JSON.stringify({ ...ACCOUNT, secret: "wrong" })),
      ),
    ).rejects.toThrow("Mixpanel refused the service account (401: Invalid service account credentials)");
    await expect(pollMixpanel(request([], "just-a-token"))).rejects.toThrow(
      "MIXPANEL_SERVICE_ACCOUNT is not a service account",
    );
  });

  it("knows the US, EU and India hosts", () => {
    expect(MIXPANEL_HOSTS).toEqual({
      us: "https://mixpanel.com/api/query",
      eu: "https://eu.mixpanel.com/api/query",
      in: "https://in.mixpanel.com/api/query",
    });
  });
});

describe("a saved Insights report", () => {
  it("reads its series by day within the polled days, a named series of several, and a breakdown's total", async () => {
    const samples = await pollMixpanel(
      request([
        kpi("views", "count", { insights_report: 9001 }),
        kpi("shares", "count", { insights_report: 9002, series: "Report shared" }),
      ]),
    );
    expect(samples.filter((s) => s.kpi === "views").map((s) => [s.day, s.value])).toEqual([
      ["2026-11-01", 3],
      ["2026-11-02", 6],
      ["2026-11-03", 9],
    ]);
    expect(samples.filter((s) => s.kpi === "shares").map((s) => s.value)).toEqual([2, 4, 6]);
    expect(mixpanel.requests.map((r) => r.path)).toContain(
      "/api/query/insights?project_id=2195193&bookmark_id=9001",
    );
  });

  it("says which series to pick, and refuses a value that is not a number", async () => {
    await expect(pollMixpanel(request([kpi("x", "count", { insights_report: 9002 })]))).rejects.toThrow(
      'KPI "x": the Insights report 9002 has the series "Report viewed", "Report shared"; say which with query.series.',
    );
    await expect(pollMixpanel(request([kpi("y", "count", { insights_report: 9003 })]))).rejects.toThrow(
      'KPI "y": Mixpanel gave Report viewed = "NaN" for 2026-11-01, which is not a number.',
    );
    await expect(pollMixpanel(request([kpi("z", "count", { insights_report: 404 })]))).rejects.toThrow(
      'Mixpanel source "product", KPI "z": Mixpanel answered 400: bookmark 404 not found',
    );
  });
});

describe("the composite activation rule from Mixpanel's per-account event counts", () => {
  const rule = "1+ data_source_connected AND 2+ dashboard_viewed within 7 days";
  const activation = (query: Record<string, unknown> = {}) =>
    kpi("activation", "ratio", { activation: rule, signup_event: "Trial started", ...query });
  const october = { since: "2026-10-01", until: "2026-10-20" };

  /** Sends every request to the stand-in, keeping the host it was meant for. */
  function residencyFetch(hosts: string[]): typeof fetch {
    return (input, init) => {
      const url = new URL(String(input));
      hosts.push(url.host);
      return fetch(`${mixpanel.url}${url.pathname}${url.search}`, init);
    };
  }

  it("counts each sign-up day's accounts that met the rule within its days, on the region's host", async () => {
    for (const [region, host] of [
      ["us", "mixpanel.com"],
      ["eu", "eu.mixpanel.com"],
    ] as const) {
      const hosts: string[] = [];
      const samples = await pollMixpanel(
        request([activation()], undefined, { region }, october, residencyFetch(hosts)),
      );
      // a1 met it; a2's second dashboard view came on day 8; a3 never connected a source; a4 met it on
      // its first day; a5's seven days are not over by the 20th; events without an account are ignored.
      expect(samples).toEqual([
        { kpi: "activation", day: "2026-10-01", segment: "", value: null, num: 1, den: 2, dist: null },
        { kpi: "activation", day: "2026-10-02", segment: "", value: null, num: 1, den: 2, dist: null },
      ]);
      expect(new Set(hosts)).toEqual(new Set([host]));
      expect(hosts).toHaveLength(3);
    }
    const paths = mixpanel.requests.map((r) => decodeURIComponent(r.path));
    expect(paths).toContain(
      '/api/query/segmentation?project_id=2195193&event=dashboard_viewed&from_date=2026-10-01&to_date=2026-10-20&unit=day&type=general&on=properties["account_id"]&limit=10000',
    );
  });

  it("splits the cohorts by a property of the sign-up event", async () => {
    const samples = await pollMixpanel(
      request(
        [
          kpi(
            "activation",
            "ratio",
            { activation: rule, signup_event: "Trial started", breakdown: { property: "plan", as: "plan" } },
            ["plan"],
          ),
        ],
        undefined,
        undefined,
        october,
      ),
    );
    expect(samples.map((s) => [s.day, s.segment, s.num, s.den])).toEqual([
      ["2026-10-01", "", 1, 2],
      ["2026-10-02", "", 1, 2],
      ["2026-10-01", "plan:free", 0, 1],
      ["2026-10-02", "plan:free", 1, 1],
      ["2026-10-01", "plan:pro", 1, 1],
      ["2026-10-02", "plan:pro", 0, 1],
    ]);
    const paths = mixpanel.requests.map((r) => decodeURIComponent(r.path.replaceAll("+", " ")));
    expect(paths).toContain(
      '/api/query/segmentation?project_id=2195193&event=Trial started&from_date=2026-10-01&to_date=2026-10-20&unit=day&type=general&on=properties["account_id"]&limit=10000&where=properties["plan"] == "pro"',
    );
  });

  it("refuses an answer cut at the account limit, and a rule it cannot read", async () => {
    await expect(
      pollMixpanel(
        request([activation({ where: 'properties["plan"] == "huge"' })], undefined, undefined, october),
      ),
    ).rejects.toThrow(
      `KPI "activation": Mixpanel's segmentation of "Trial started" by account_id reached 10000 accounts, so some would be left out.`,
    );
    await expect(
      pollMixpanel(request([activation({ activation: "10 searches" })], undefined, undefined, october)),
    ).rejects.toThrow('KPI "activation": query.activation: The activation rule "10 searches" does not end');
    expect(
      mixpanelConnector.validate(request([]).source, [
        activation({ activation: "2+ export within 0 days" }),
        kpi("wrong_kind", "count", { activation: rule, signup_event: "Trial started" }),
      ]),
    ).toEqual([
      {
        on: { kpi: "activation" },
        at: ["query"],
        message: 'query.activation: "within 0 days" needs a whole number of days from 1 to 365.',
      },
      {
        on: { kpi: "wrong_kind" },
        at: ["query"],
        message: 'an activation KPI needs aggregation kind "ratio" (activated / signed up), not "count"',
      },
    ]);
  });
});
