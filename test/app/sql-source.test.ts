import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollSource } from "../../src/app/poll-source.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog, parseCatalogText } from "../../src/catalog/index.ts";
import { loadSamples } from "../../src/db/samples-repository.ts";
import { getSource } from "../../src/db/sources-repository.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import { openScratch, SQL_SERVERS, type SqlScratch } from "../connectors/sql/sql-fixture.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

const SECRET_KEY = "k".repeat(32);
const CATALOG = `
timezone: UTC
sources:
  - name: product_db
    kind: sql
    config: { dialect: postgres }
    secret_env: PRODUCT_DB_URL
kpis:
  - slug: trials
    name: New trials
    stage: interest
    unit: count
    direction: up
    aggregation: { kind: count }
    source: product_db
    query: { sql: "SELECT signup_day AS day, COUNT(*) AS value FROM trials WHERE signup_day BETWEEN :since AND :until GROUP BY signup_day" }
  - slug: activation
    name: Activation rate
    stage: activation
    unit: percent
    direction: up
    aggregation: { kind: ratio, scale: 100 }
    windows: [28d]
    source: product_db
    thresholds: [{ status: red, below: 50 }]
    query:
      activation: "2+ search AND 1+ export within 7 days"
      sql: |
        SELECT t.account_id, t.signup_day, e.event, e.day, COALESCE(e.n, 0) AS count
        FROM trials t LEFT JOIN events e ON e.account_id = t.account_id AND e.day <= :until
        WHERE t.signup_day BETWEEN :since AND :until
`;

let rt: TestRuntime;
let db: SqlScratch;

beforeAll(async () => {
  if (!SQL_SERVERS.postgres) return;
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_SECRET_KEY: SECRET_KEY } });
  db = await openScratch("postgres");
  await db.exec("CREATE TABLE trials (account_id TEXT PRIMARY KEY, signup_day DATE NOT NULL)");
  await db.exec("CREATE TABLE events (account_id TEXT, event TEXT, day DATE, n INT)");
  // Cohorts 2026-11-01 (a1 activated, a2 not) and 2026-11-14 (a3 activated, a4 not); a5 keeps daily data recent.
  await db.exec(
    `INSERT INTO trials VALUES ('a1','2026-11-01'),('a2','2026-11-01'),('a3','2026-11-14'),('a4','2026-11-14'),('a5','2026-11-19')`,
  );
  await db.exec(`INSERT INTO events VALUES ('a1','search','2026-11-02',2),('a1','export','2026-11-03',1),
    ('a2','search','2026-11-02',1),('a3','search','2026-11-15',3),('a3','export','2026-11-19',1)`);
  await applyCatalog(rt.db, {
    workspace: "local",
    catalog: parseCatalogText(CATALOG, "catalog.yaml"),
    actor: "test",
    secrets: (name) => (name === "PRODUCT_DB_URL" ? db.url : undefined),
    secretKey: SECRET_KEY,
    now: rt.clock.now(),
  });
});

afterAll(async () => {
  await db?.drop();
  await rt?.close();
});

describe.runIf(SQL_SERVERS.postgres)(
  "a SQL source end to end: catalog, encrypted secret, polls, answers",
  () => {
    it("stores the connection URL encrypted, never in clear", async () => {
      const row = await getSource(rt.db, "local", "product_db");
      expect(row?.secret_ciphertext).toBeTruthy();
      expect(row?.secret_ciphertext).not.toContain("postgres://");
      expect(JSON.stringify(row?.config)).not.toContain("postgres://");
    });

    it("reports a cohort on the first poll after its window closes, even after daily KPIs moved on", async () => {
      const catalog = await loadWorkspaceCatalog(rt.db, "local");
      const source = async () => {
        const row = await getSource(rt.db, "local", "product_db");
        if (!row) throw new Error("source missing");
        return row;
      };
      rt.clock.set("2026-11-20T08:00:00Z"); // data through 11-19: the 11-14 cohort's 7 days are not over
      const first = await pollSource(rt.pollDeps, catalog, await source(), { since: "2026-10-20" });
      expect(first).toMatchObject({ ok: true });
      const day = (d: string) => ({ start: d, end: d });
      expect(await loadSamples(rt.db, "local", ["activation"], day("2026-11-14"))).toHaveLength(0);

      // A normal poll resumes from the newest stored day (11-19, from trials); three days back would miss 11-14.
      rt.clock.set("2026-11-23T08:00:00Z");
      const second = await pollSource(rt.pollDeps, catalog, await source());
      expect(second).toMatchObject({ ok: true });
      const [cohort] = await loadSamples(rt.db, "local", ["activation"], day("2026-11-14"));
      expect(cohort).toMatchObject({ num: 1, den: 2 });
      const [early] = await loadSamples(rt.db, "local", ["activation"], day("2026-11-01"));
      expect(early).toMatchObject({ num: 1, den: 2 });
    });

    it("answers from what it polled", async () => {
      const answer = await askLocal(rt, { text: "activation", channel: "general", user: "x" });
      const row = answer.message.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []))[0];
      expect(row?.value).toBe(50);
      expect(row?.status).toBe("green");
    });

    it("says the secret key is missing now when a poll runs without CLG_SECRET_KEY", async () => {
      const catalog = await loadWorkspaceCatalog(rt.db, "local");
      const row = await getSource(rt.db, "local", "product_db");
      if (!row) throw new Error("source missing");
      const outcome = await pollSource({ ...rt.pollDeps, secretKey: null }, catalog, row);
      expect(outcome).toMatchObject({
        ok: false,
        error:
          'Source "product_db" has its secret (PRODUCT_DB_URL) stored encrypted, but CLG_SECRET_KEY is not set now, so it cannot be decrypted.',
      });
    });
  },
);
