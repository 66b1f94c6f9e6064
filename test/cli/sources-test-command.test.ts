import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../src/kpi/days.ts";
import { openStandIn, type StandIn } from "../connectors/http-csv/stand-in.ts";
import { runClg } from "../support/run-clg.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

const KEY = "s".repeat(32);
const TOKEN = "hd_live_0123456789abcdef";

const dirs: string[] = [];
let api: StandIn;

/** A helpdesk export: tickets per day for the asked days, behind a bearer token. */
beforeAll(async () => {
  api = await openStandIn((url, req) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return { status: 401, body: '{"error":"bad token"}' };
    const from = url.searchParams.get("from") ?? "";
    const to = url.searchParams.get("to") ?? "";
    const data: { date: string; tickets: number }[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) data.push({ date: d, tickets: 40 });
    return { body: JSON.stringify({ data }) };
  });
});
afterAll(async () => {
  await api?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const kpi = (slug: string, fields: string) => `  - slug: ${slug}
    name: ${slug}
    stage: customer_success
    unit: count
    direction: down
    aggregation: { kind: count }
    source: helpdesk
    query: { jsonpath: "$.data[*]", fields: ${fields} }
`;

describe("clg sources test SOURCE", () => {
  it("on the data folder: each KPI's result, the exact failure of a bad one, a non-zero exit", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "clg-sources-test-"));
    dirs.push(dataDir);
    const file = join(dataDir, "catalog.yaml");
    writeFileSync(
      file,
      `timezone: UTC
sources:
  - name: helpdesk
    kind: http_csv
    config:
      url: "${api.url}/export?from={since}&to={until}"
      format: json
      auth_header: Authorization
      auth_scheme: Bearer
      allow_private_addresses: true
    secret_env: HELPDESK_TOKEN
kpis:
${kpi("tickets", "{ day: date, value: tickets }")}${kpi("replies", "{ day: date, value: replies }")}`,
    );
    const env = { CLG_DATA_DIR: dataDir, CLG_SECRET_KEY: KEY };
    const applied = await runClg(["catalog", "apply", file], { ...env, HELPDESK_TOKEN: TOKEN });
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);

    const r = await runClg(["sources", "test", "helpdesk"], env);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^helpdesk \(http_csv\): each KPI over 3 days through \d{4}-\d\d-\d\d$/);
    const until = lines[0]?.slice(-10);
    expect(lines.slice(1)).toEqual([
      `  tickets: ok · 3 samples · last day ${until}`,
      '  replies: FAILED: KPI "replies": the query returned day, but a count KPI needs day, value (optional: segment); missing value.',
      "1 of 2 KPIs failed",
    ]);

    const unknown = await runClg(["sources", "test", "nope"], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error [clg_not_found]: No source "nope".\nSources: helpdesk.\n');

    const noKey = await runClg(["sources", "test", "helpdesk"], { CLG_DATA_DIR: dataDir });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toContain(
      'FAILED: Source "helpdesk" has its secret (HELPDESK_TOKEN) stored encrypted, but CLG_SECRET_KEY is not set now',
    );
  }, 120_000);

  describe("while the service runs", () => {
    let t: TestService;
    beforeAll(async () => {
      t = await startTestService();
    }, 180_000);
    afterAll(async () => {
      await t?.stop();
    });

    it("asks the running service", async () => {
      const r = await runClg(["sources", "test", "demo"], { CLG_DATA_DIR: t.dataDir });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^demo \(demo\): each KPI over 3 days through /);
      expect(r.stdout).toMatch(/^ {2}activation: ok · \d+ samples · last day \d{4}-\d\d-\d\d$/m);
      expect(r.stdout).toMatch(/^all \d+ KPIs work$/m);
    }, 120_000);
  });
});
