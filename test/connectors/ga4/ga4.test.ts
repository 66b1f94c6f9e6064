import { createVerify, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollGa4 } from "../../../src/connectors/ga4/index.ts";
import { addDays } from "../../../src/kpi/days.ts";
import type { KpiDefinition } from "../../../src/kpi/definition.ts";
import { openStandIn, type StandIn } from "../http-csv/stand-in.ts";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const ACCOUNT = {
  type: "service_account",
  project_id: "clg-test",
  private_key_id: "abc",
  private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  client_email: "clg-reader@clg-test.iam.gserviceaccount.com",
  client_id: "1",
  token_uri: "https://oauth2.googleapis.com/token",
};

let google: StandIn;
const reports: Record<string, unknown>[] = [];
let quotaLeft = Number.POSITIVE_INFINITY;

/** Google's token endpoint and the Data API's runReport, as documented; pages of 4 rows. */
beforeAll(async () => {
  google = await openStandIn((url, req, text) => {
    const send = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });
    if (url.pathname === "/token") {
      const assertion = new URLSearchParams(text).get("assertion") ?? "";
      const [h, c, sig] = assertion.split(".");
      const ok = createVerify("RSA-SHA256")
        .update(`${h}.${c}`)
        .verify(publicKey, Buffer.from(sig ?? "", "base64url"));
      const claims = JSON.parse(Buffer.from(c ?? "", "base64url").toString());
      if (!ok || claims.scope !== "https://www.googleapis.com/auth/analytics.readonly")
        return send(400, { error: "invalid_grant", error_description: "Invalid JWT Signature." });
      return send(200, { access_token: "ya29.test-token", expires_in: 3599, token_type: "Bearer" });
    }
    if (req.headers.authorization !== "Bearer ya29.test-token")
      return send(401, {
        error: {
          code: 401,
          message: "Request had invalid authentication credentials.",
          status: "UNAUTHENTICATED",
        },
      });
    if (quotaLeft-- <= 0)
      return send(429, {
        error: {
          code: 429,
          message: "Exhausted property tokens per day for a property.",
          status: "RESOURCE_EXHAUSTED",
        },
      });
    const body = JSON.parse(text);
    reports.push(body);
    const metric = body.metrics[0].name as string;
    if (metric === "NaNmetric")
      return send(200, {
        rows: [{ dimensionValues: [{ value: "20261101" }], metricValues: [{ value: "NaN" }] }],
        rowCount: 1,
      });
    const { startDate, endDate } = body.dateRanges[0];
    const rows = [];
    for (let d = startDate; d <= endDate; d = addDays(d, 1)) {
      const dims = body.dimensions.length > 1 ? ["desktop", "mobile"] : [null];
      for (const dim of dims) {
        const n = Number(d.slice(8, 10));
        rows.push({
          dimensionValues: [{ value: d.replaceAll("-", "") }, ...(dim ? [{ value: dim }] : [])],
          metricValues: body.metrics.map((m: { name: string }) => ({
            value: String(m.name === "sessions" ? n * 10 : n),
          })),
        });
      }
    }
    return send(200, {
      dimensionHeaders: body.dimensions,
      metricHeaders: body.metrics.map((m: { name: string }) => ({ name: m.name, type: "TYPE_INTEGER" })),
      rows: rows.slice(body.offset, body.offset + Math.min(body.limit, 4)),
      rowCount: rows.length,
      metadata: {
        currencyCode: "USD",
        timeZone: "UTC",
        ...(metric === "totalUsers" ? { subjectToThresholding: true } : {}),
        ...(metric === "eventCount"
          ? { samplingMetadatas: [{ samplesReadCount: "1000000", samplingSpaceSize: "9000000" }] }
          : {}),
      },
      propertyQuota: { tokensPerDay: { consumed: 10, remaining: 199990 } },
      kind: "analyticsData#runReport",
    });
  });
});
afterAll(async () => {
  await google?.close();
});

const kpi = (slug: string, kind: string, query: Record<string, unknown>, dimensions: string[] = []) =>
  ({ slug, dimensions, aggregation: { kind }, query }) as unknown as KpiDefinition;

function request(kpis: KpiDefinition[], secret: string | null = JSON.stringify(ACCOUNT)) {
  return {
    source: {
      name: "web",
      kind: "ga4" as const,
      schedule: "0 6 * * *",
      config: { property_id: "123456789", api_base: google.url, token_uri: `${google.url}/token` },
      secret_env: "GA4_SERVICE_ACCOUNT",
    },
    kpis,
    since: "2026-11-01",
    until: "2026-11-06",
    timezone: "UTC",
    secret,
    fetch,
  };
}

describe("GA4 through a service-account token and runReport", () => {
  it("reads a metric by day over pages, and a conversion rate as numerator / denominator with a breakdown", async () => {
    reports.length = 0;
    const samples = await pollGa4(
      request([
        kpi("new_users", "count", {
          metric: "newUsers",
          dimension_filter: { filter: { fieldName: "country", stringFilter: { value: "Germany" } } },
        }),
        kpi(
          "conversion",
          "ratio",
          {
            numerator: "keyEvents",
            denominator: "sessions",
            breakdown: { dimension: "deviceCategory", as: "device" },
          },
          ["device"],
        ),
      ]),
    );
    const users = samples.filter((s) => s.kpi === "new_users");
    expect(users.map((s) => s.value)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reports[0]).toMatchObject({
      dateRanges: [{ startDate: "2026-11-01", endDate: "2026-11-06" }],
      dimensions: [{ name: "date" }],
      metrics: [{ name: "newUsers" }],
      dimensionFilter: { filter: { fieldName: "country" } },
      offset: 0,
    });
    expect(reports[1]).toMatchObject({ offset: 4 });
    const conv = samples.filter((s) => s.kpi === "conversion" && s.day === "2026-11-02");
    expect(conv).toEqual([
      { kpi: "conversion", day: "2026-11-02", segment: "", value: null, num: 2, den: 20, dist: null },
      {
        kpi: "conversion",
        day: "2026-11-02",
        segment: "device:desktop",
        value: null,
        num: 2,
        den: 20,
        dist: null,
      },
      {
        kpi: "conversion",
        day: "2026-11-02",
        segment: "device:mobile",
        value: null,
        num: 2,
        den: 20,
        dist: null,
      },
    ]);
  });

  it("refuses a sampled report unless the source accepts estimates", async () => {
    await expect(pollGa4(request([kpi("events", "count", { metric: "eventCount" })]))).rejects.toThrow(
      'KPI "events": GA4 sampled this report (1000000 of 9000000 events read), so its numbers are estimates.',
    );
    const accepting = request([kpi("events", "count", { metric: "eventCount" })]);
    accepting.source.config = { ...accepting.source.config, accept_sampled: true } as never;
    expect((await pollGa4(accepting)).map((s) => s.value)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("surfaces thresholding, quota and a NaN in words, naming the KPI", async () => {
    await expect(pollGa4(request([kpi("users", "count", { metric: "totalUsers" })]))).rejects.toThrow(
      'KPI "users": GA4 withheld rows of this report (data thresholds',
    );
    await expect(pollGa4(request([kpi("odd", "count", { metric: "NaNmetric" })]))).rejects.toThrow(
      'KPI "odd": GA4 gave NaNmetric = "NaN" for 2026-11-01, which is not a number.',
    );
    quotaLeft = 0;
    try {
      await expect(pollGa4(request([kpi("users", "count", { metric: "newUsers" })]))).rejects.toThrow(
        /the GA4 property's quota is used up \(Exhausted property tokens per day/,
      );
    } finally {
      quotaLeft = Number.POSITIVE_INFINITY;
    }
  }, 30_000);

  it("refuses a key that is not a service account, and a key Google does not accept", async () => {
    await expect(pollGa4(request([], "sk_live_abc"))).rejects.toThrow(
      "GA4_SERVICE_ACCOUNT is not a service-account key",
    );
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    await expect(pollGa4(request([], JSON.stringify({ ...ACCOUNT, private_key: other })))).rejects.toThrow(
      "Google refused the service account clg-reader@clg-test.iam.gserviceaccount.com (400 invalid_grant: Invalid JWT Signature.)",
    );
  });
});
