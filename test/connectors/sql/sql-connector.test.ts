import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollSql, type SqlDialect } from "../../../src/connectors/sql/index.ts";
import { ClgError } from "../../../src/errors.ts";
import type { KpiDefinition } from "../../../src/kpi/definition.ts";
import type { Sample } from "../../../src/kpi/sample.ts";
import { kpi, openScratch, type SqlScratch, sqlSource } from "./sql-fixture.ts";

const DIALECTS: SqlDialect[] = ["postgres", "mysql"];
const RANGE = { since: "2026-03-01", until: "2026-03-02" };

function repeat<T>(n: number, row: T): T[] {
  return Array.from({ length: n }, () => row);
}

/** Trials and their events for "10+ searches AND 2+ lists AND 1+ export within 14 days". */
const TRIALS: [string, string, string][] = [
  ["a1", "2026-03-01", "pro"], // all three by day 14 (03-14): activated
  ["a2", "2026-03-01", "free"], // export on day 15: not activated
  ["a3", "2026-03-01", "free"], // no events at all: counts in the denominator only
  ["a4", "2026-03-02", "pro"], // 9 + 1 searches on two days: activated
  ["a5", "2026-03-02", "pro"], // only 1 list: not activated
  ["a6", "2026-03-10", "free"], // window ends 03-23, after the poll: left out
  ["a7", "2026-02-27", "free"], // signed up before the range
];
const EVENTS: [string, string, string][] = [
  ...repeat(10, ["a1", "search", "2026-03-02"] as [string, string, string]),
  ...repeat(2, ["a1", "list", "2026-03-05"] as [string, string, string]),
  ["a1", "export", "2026-03-14"],
  ...repeat(10, ["a2", "search", "2026-03-01"] as [string, string, string]),
  ...repeat(2, ["a2", "list", "2026-03-01"] as [string, string, string]),
  ["a2", "export", "2026-03-15"],
  ...repeat(9, ["a4", "search", "2026-03-02"] as [string, string, string]),
  ["a4", "search", "2026-03-03"],
  ...repeat(2, ["a4", "list", "2026-03-04"] as [string, string, string]),
  ["a4", "export", "2026-03-04"],
  ...repeat(10, ["a5", "search", "2026-03-02"] as [string, string, string]),
  ["a5", "list", "2026-03-02"],
  ["a5", "export", "2026-03-02"],
  ...repeat(10, ["a6", "search", "2026-03-10"] as [string, string, string]),
  ...repeat(2, ["a6", "list", "2026-03-10"] as [string, string, string]),
  ["a6", "export", "2026-03-10"],
];

const values = (rows: unknown[][]) =>
  rows.map((r) => `(${r.map((v) => (typeof v === "number" ? v : `'${v}'`)).join(", ")})`).join(", ");

async function seed(db: SqlScratch): Promise<void> {
  const { t } = db;
  const money = "DECIMAL(12,2)";
  await db.exec(`CREATE TABLE ${t("signups")} (day DATE NOT NULL, plan VARCHAR(20) NOT NULL)`);
  await db.exec(
    `INSERT INTO ${t("signups")} VALUES ${values([
      ["2026-02-28", "free"],
      ["2026-03-01", "pro"],
      ["2026-03-01", "pro"],
      ["2026-03-01", "free"],
      ["2026-03-02", "free"],
      ["2026-03-03", "pro"],
    ])}`,
  );
  await db.exec(`CREATE TABLE ${t("tickets")} (day DATE NOT NULL, resolved INT NOT NULL)`);
  await db.exec(
    `INSERT INTO ${t("tickets")} VALUES ${values([
      ["2026-03-01", 1],
      ["2026-03-01", 1],
      ["2026-03-01", 0],
      ["2026-03-02", 0],
    ])}`,
  );
  await db.exec(`CREATE TABLE ${t("nps")} (day DATE NOT NULL, score INT NOT NULL)`);
  await db.exec(
    `INSERT INTO ${t("nps")} VALUES ${values([
      ["2026-03-01", 9],
      ["2026-03-01", 9],
      ["2026-03-01", 10],
      ["2026-03-01", 3],
      ["2026-03-02", 7],
    ])}`,
  );
  await db.exec(`CREATE TABLE ${t("mrr")} (day DATE NOT NULL, amount ${money} NOT NULL)`);
  await db.exec(
    `INSERT INTO ${t("mrr")} VALUES ${values([
      ["2026-03-01", 1000.5],
      ["2026-03-02", 1020.25],
    ])}`,
  );
  await db.exec(
    `CREATE TABLE ${t("trials")} (account_id VARCHAR(10) NOT NULL, signup_day DATE NOT NULL, plan VARCHAR(20) NOT NULL)`,
  );
  await db.exec(`INSERT INTO ${t("trials")} VALUES ${values(TRIALS)}`);
  await db.exec(
    `CREATE TABLE ${t("events")} (account_id VARCHAR(10) NOT NULL, event VARCHAR(20) NOT NULL, day DATE NOT NULL)`,
  );
  await db.exec(`INSERT INTO ${t("events")} VALUES ${values(EVENTS)}`);
  // A SELECT can still write through a function: only the read-only transaction stops it.
  if (db.dialect === "postgres") {
    await db.exec(
      `CREATE FUNCTION sneaky_write() RETURNS int LANGUAGE sql AS $$ INSERT INTO signups VALUES ('2026-03-01', 'hack') RETURNING 1 $$`,
    );
  } else {
    await db.exec(
      `CREATE FUNCTION ${t("write")}() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO ${t("signups")} VALUES ('2026-03-01', 'hack'); RETURN 1; END`,
    );
  }
}

const sample = (kpi: string, day: string, fields: Partial<Sample>, segment = ""): Sample => ({
  kpi,
  day,
  segment,
  value: null,
  num: null,
  den: null,
  dist: null,
  ...fields,
});

const byKey = (samples: Sample[]) =>
  [...samples].sort((a, b) =>
    `${a.kpi}|${a.day}|${a.segment}`.localeCompare(`${b.kpi}|${b.day}|${b.segment}`),
  );

async function failure(promise: Promise<unknown>): Promise<ClgError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(ClgError);
    expect((e as ClgError).code).toBe("clg_source_failed");
    return e as ClgError;
  }
  throw new Error("expected the poll to fail");
}

describe.each(DIALECTS)("SQL connector on %s", (dialect) => {
  let db: SqlScratch;
  beforeAll(async () => {
    db = await openScratch(dialect);
    await seed(db);
  });
  afterAll(async () => {
    await db?.drop();
  });

  const poll = (
    kpis: KpiDefinition[],
    range = RANGE,
    config: Record<string, unknown> = {},
    secret?: string,
  ) =>
    pollSql({
      source: sqlSource(dialect, config),
      kpis,
      ...range,
      timezone: "UTC",
      secret: secret ?? db.url,
    });

  it("polls count (with segments), ratio, distribution and latest KPIs on one connection", async () => {
    const { t } = db;
    const signups = kpi({
      slug: "signups",
      aggregation: { kind: "count" },
      dimensions: ["plan"],
      query: {
        sql: `SELECT day, NULL AS segment, COUNT(*) AS value FROM ${t("signups")} WHERE day BETWEEN :since AND :until GROUP BY day
              UNION ALL
              SELECT day, CONCAT('plan:', plan), COUNT(*) FROM ${t("signups")} WHERE day BETWEEN :since AND :until GROUP BY day, plan`,
      },
    });
    const fcr = kpi({
      slug: "fcr",
      aggregation: { kind: "ratio", scale: 100 },
      query: {
        sql: `SELECT day, SUM(resolved) AS NUMERATOR, COUNT(*) AS Denominator FROM ${t("tickets")}
              WHERE day BETWEEN :since AND :until GROUP BY day;`,
      },
    });
    const nps = kpi({
      slug: "nps",
      aggregation: { kind: "distribution", scale: { min: 0, max: 10 }, statistic: "nps" },
      query: {
        sql: `-- one row per day and score
              SELECT day, score, COUNT(*) AS responses FROM ${t("nps")} WHERE day BETWEEN :since AND :until GROUP BY day, score`,
      },
    });
    const mrr = kpi({
      slug: "mrr",
      aggregation: { kind: "latest" },
      query: {
        sql: `SELECT day, SUM(amount) AS value FROM ${t("mrr")} WHERE day BETWEEN :since AND :until GROUP BY day`,
      },
    });
    const samples = await poll([signups, fcr, nps, mrr]);
    expect(byKey(samples)).toEqual(
      byKey([
        sample("signups", "2026-03-01", { value: 3 }),
        sample("signups", "2026-03-01", { value: 2 }, "plan:pro"),
        sample("signups", "2026-03-01", { value: 1 }, "plan:free"),
        sample("signups", "2026-03-02", { value: 1 }),
        sample("signups", "2026-03-02", { value: 1 }, "plan:free"),
        sample("fcr", "2026-03-01", { num: 2, den: 3 }),
        sample("fcr", "2026-03-02", { num: 0, den: 1 }),
        sample("nps", "2026-03-01", { dist: { "3": 1, "9": 2, "10": 1 } }),
        sample("nps", "2026-03-02", { dist: { "7": 1 } }),
        sample("mrr", "2026-03-01", { value: 1000.5 }),
        sample("mrr", "2026-03-02", { value: 1020.25 }),
      ]),
    );
  });

  it("binds :since and :until as parameters and drops rows outside the range", async () => {
    const { t } = db;
    const echo = kpi({
      slug: "echo",
      aggregation: { kind: "sum" },
      query: {
        sql: `SELECT CAST(:since AS DATE) AS day, 1 AS value UNION ALL SELECT CAST(:until AS DATE), 2`,
      },
    });
    const unfiltered = kpi({
      slug: "all_signups",
      aggregation: { kind: "count" },
      // ':until' inside a string literal stays text; the statement itself reads every day.
      query: { sql: `SELECT day, COUNT(*) AS value, ':until' AS note FROM ${t("signups")} GROUP BY day` },
    });
    const samples = await poll([echo, unfiltered], { since: "2026-03-02", until: "2026-03-03" });
    expect(byKey(samples)).toEqual([
      sample("all_signups", "2026-03-02", { value: 1 }),
      sample("all_signups", "2026-03-03", { value: 1 }),
      sample("echo", "2026-03-02", { value: 1 }),
      sample("echo", "2026-03-03", { value: 2 }),
    ]);
  });

  it("counts the activation rule per sign-up day, leaving out cohorts whose 14 days are not over", async () => {
    const { t } = db;
    const activation = kpi({
      slug: "activation_rate",
      unit: "percent",
      aggregation: { kind: "ratio", scale: 100 },
      dimensions: ["plan"],
      query: {
        activation: "10+ search AND 2+ list AND 1+ export within 14 days",
        sql: `SELECT tr.account_id, tr.signup_day, CONCAT('plan:', tr.plan) AS segment, e.event, e.day, COUNT(e.event) AS count
              FROM ${t("trials")} tr LEFT JOIN ${t("events")} e ON e.account_id = tr.account_id AND e.day <= :until
              WHERE tr.signup_day BETWEEN :since AND :until
              GROUP BY tr.account_id, tr.signup_day, tr.plan, e.event, e.day`,
      },
    });
    const samples = await poll([activation], { since: "2026-03-01", until: "2026-03-20" });
    expect(byKey(samples)).toEqual(
      byKey([
        sample("activation_rate", "2026-03-01", { num: 1, den: 3 }),
        sample("activation_rate", "2026-03-01", { num: 1, den: 1 }, "plan:pro"),
        sample("activation_rate", "2026-03-01", { num: 0, den: 2 }, "plan:free"),
        sample("activation_rate", "2026-03-02", { num: 1, den: 2 }),
        sample("activation_rate", "2026-03-02", { num: 1, den: 2 }, "plan:pro"),
      ]),
    );
    // The object form gives the same result; a3 (no events) still counts once the rule is one event.
    const objectForm = kpi({
      slug: "exported",
      aggregation: { kind: "ratio" },
      query: { ...activation.query, activation: { within_days: 14, all: [{ event: "export", min: 1 }] } },
      dimensions: ["plan"],
    });
    const totals = (await poll([objectForm], { since: "2026-03-01", until: "2026-03-20" })).filter(
      (s) => s.segment === "",
    );
    expect(totals).toEqual([
      sample("exported", "2026-03-01", { num: 1, den: 3 }),
      sample("exported", "2026-03-02", { num: 2, den: 2 }),
    ]);
  });

  it("refuses writes: a non-SELECT before connecting, a write hidden in a function by the read-only transaction", async () => {
    const { t } = db;
    const count = async () => {
      const rows = await poll([
        kpi({
          slug: "n",
          aggregation: { kind: "count" },
          query: { sql: `SELECT CAST(:since AS DATE) AS day, COUNT(*) AS value FROM ${t("signups")}` },
        }),
      ]);
      return rows[0]?.value;
    };
    const before = await count();
    const del = await failure(
      poll([
        kpi({ slug: "wipe", aggregation: { kind: "count" }, query: { sql: `DELETE FROM ${t("signups")}` } }),
      ]),
    );
    expect(del.message).toContain('KPI "wipe"');
    expect(del.message).toContain('starts with "DELETE"');
    const fn = dialect === "postgres" ? "sneaky_write()" : `${t("write")}()`;
    const hidden = await failure(
      poll([
        kpi({
          slug: "sneaky",
          aggregation: { kind: "count" },
          query: { sql: `SELECT CAST(:since AS DATE) AS day, ${fn} AS value` },
        }),
      ]),
    );
    expect(hidden.message).toMatch(
      /^KPI "sneaky": the query tried to write, and the SQL source only reads \(.*read.only.*\)\.$/i,
    );
    expect(await count()).toBe(before);
  });

  it.each([
    {
      name: "a missing column",
      sql: "SELECT CAST(:since AS DATE) AS day, 1 AS total",
      expected:
        /KPI "bad": the query returned day, total, but a count KPI needs day, value \(optional: segment\); missing value\./,
    },
    {
      name: "NaN",
      sql: {
        postgres: "SELECT CAST(:since AS DATE) AS day, CAST('NaN' AS double precision) AS value",
        mysql: "SELECT CAST(:since AS DATE) AS day, 'NaN' AS value",
      },
      expected: /KPI "bad": the row for 2026-03-01 has value = (NaN|"NaN"), which is not a finite number\./,
    },
    {
      name: "Infinity",
      sql: {
        postgres: "SELECT CAST(:since AS DATE) AS day, CAST('Infinity' AS numeric) AS value",
        mysql: "SELECT CAST(:since AS DATE) AS day, 'Infinity' AS value",
      },
      expected: /KPI "bad": the row for 2026-03-01 has value = "Infinity", which is not a finite number\./,
    },
    {
      name: "text that is not a number",
      sql: "SELECT CAST(:since AS DATE) AS day, 'twelve' AS value",
      expected: /KPI "bad": the row for 2026-03-01 has value = "twelve", which is not a finite number\./,
    },
    {
      name: "a negative count",
      sql: "SELECT CAST(:since AS DATE) AS day, -4 AS value",
      expected: /KPI "bad": the row for 2026-03-01 has value = -4; a count cannot be negative\./,
    },
    {
      name: "a day that is not a day",
      sql: "SELECT 'yesterday' AS day, 1 AS value",
      expected: /KPI "bad": column day is "yesterday", not a date or YYYY-MM-DD text\./,
    },
    {
      name: "two rows for one day",
      sql: "SELECT CAST(:since AS DATE) AS day, 1 AS value UNION ALL SELECT CAST(:since AS DATE), 2",
      expected: /KPI "bad": the query returned more than one row for 2026-03-01\./,
    },
    {
      name: "a segment without a dimension",
      sql: "SELECT CAST(:since AS DATE) AS day, 'pro' AS segment, 1 AS value",
      expected: /KPI "bad": the row for 2026-03-01 has segment "pro", not "<dimension>:<value>"\./,
    },
    {
      name: "a SQL error",
      sql: "SELECT day, COUNT(*) AS value FROM no_such_table GROUP BY day",
      expected:
        /^KPI "bad": the query failed on (PostgreSQL|MySQL) at 127\.0\.0\.1:\d+, database "test": .*no_such_table.*/,
    },
    {
      name: "an unknown parameter",
      sql: "SELECT CAST(:from AS DATE) AS day, 1 AS value",
      expected: /KPI "bad": query.sql uses :from; only :since and :until are bound\./,
    },
  ])("fails on $name with a message naming the KPI", async ({ sql, expected }) => {
    const text = typeof sql === "string" ? sql : sql[dialect];
    const error = await failure(
      poll([kpi({ slug: "bad", aggregation: { kind: "count" }, query: { sql: text } })]),
    );
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain("\n");
  });

  it("runs the session in the catalog timezone", async () => {
    const offset =
      dialect === "postgres"
        ? "EXTRACT(TIMEZONE FROM now()) / 3600"
        : "TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(), NOW()) / 60";
    const zone = kpi({
      slug: "zone",
      aggregation: { kind: "sum" },
      query: { sql: `SELECT CAST(:since AS DATE) AS day, ${offset} AS value` },
    });
    const hours = async (timezone: string) =>
      (await pollSql({ source: sqlSource(dialect), kpis: [zone], ...RANGE, timezone, secret: db.url }))[0]
        ?.value;
    expect(await hours("UTC")).toBe(0);
    expect(await hours("Asia/Kolkata")).toBe(5.5);
    expect(await hours("America/New_York")).toBe(-5);
  });

  it("stops a statement at statement_timeout_ms and a result at max_rows", async () => {
    const { t } = db;
    const sleep = dialect === "postgres" ? "(SELECT 1 FROM pg_sleep(2)) AS s" : "(SELECT SLEEP(2) AS z) AS s";
    const slow = kpi({
      slug: "slow",
      aggregation: { kind: "count" },
      query: { sql: `SELECT CAST(:since AS DATE) AS day, 1 AS value FROM ${sleep}` },
    });
    const started = performance.now();
    const timeout = await failure(poll([slow], RANGE, { statement_timeout_ms: 300 }));
    expect(timeout.message).toBe(
      `KPI "slow": the query ran longer than 0.3 s on ${dialect === "postgres" ? "PostgreSQL" : "MySQL"} at 127.0.0.1:${dialect === "postgres" ? 5432 : 3306}, database "test" and was stopped.`,
    );
    expect(performance.now() - started).toBeLessThan(1_800);
    const many = kpi({
      slug: "many",
      aggregation: { kind: "count" },
      query: { sql: `SELECT day, COUNT(*) AS value FROM ${t("signups")} GROUP BY day` },
    });
    const cap = await failure(poll([many], RANGE, { max_rows: 3 }));
    expect(cap.message).toBe('KPI "many": the query returned more than 3 rows (config.max_rows).');
    expect(await poll([many], RANGE, { max_rows: 4 })).toHaveLength(2);
  });

  it.each(
    [
      {
        name: "a closed port",
        url: {
          postgres: "postgres://postgres:s3cret@127.0.0.1:1/test",
          mysql: "mysql://root:s3cret@127.0.0.1:1/test",
        },
        expected:
          /^SQL source "product_db": cannot reach (PostgreSQL|MySQL) at 127\.0\.0\.1:1, database "test" \(connection refused\)\. Is the server running on that port\?$/,
      },
      {
        name: "a wrong password",
        // The local PostgreSQL trusts 127.0.0.1 and accepts any password, so only MariaDB can refuse one.
        url: { postgres: null, mysql: "mysql://root:s3cret@127.0.0.1:3306/test" },
        expected:
          /^SQL source "product_db": MySQL at 127\.0\.0\.1:3306, database "test" rejected the password for user "root"\.$/,
      },
      {
        name: "an unknown database",
        url: {
          postgres: "postgres://postgres@127.0.0.1:5432/clg_no_such_db",
          mysql: "mysql://root@127.0.0.1:3306/clg_no_such_db",
        },
        expected:
          /^SQL source "product_db": (PostgreSQL|MySQL) at 127\.0\.0\.1:\d+, database "clg_no_such_db": the database does not exist\.$/,
      },
    ].filter((c) => c.url[dialect] !== null),
  )("says what to check when it cannot connect: $name", async ({ url, expected }) => {
    const secret = url[dialect] as string;
    const error = await failure(
      poll(
        [kpi({ slug: "n", aggregation: { kind: "count" }, query: { sql: "SELECT 1" } })],
        RANGE,
        {},
        secret,
      ),
    );
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain("s3cret");
    expect(error.hint).toContain("PRODUCT_DB_URL");
  });
});
