import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SqlDialect } from "../../../src/connectors/sql/index.ts";
import { kpi, SQL_SERVERS } from "./sql-fixture.ts";
import { failure, RANGE, seededScratch } from "./sql-seed.ts";

const DIALECTS: SqlDialect[] = ["postgres", "mysql"];
const ATTACK_TABLE = `attack_${randomBytes(4).toString("hex")}`;

for (const dialect of DIALECTS)
  describe.runIf(SQL_SERVERS[dialect])(`SQL connector safety and errors on ${dialect}`, () => {
    const scratch = seededScratch(dialect);
    const poll = scratch.poll;

    it("refuses writes: a non-SELECT before connecting, a write hidden in a function by the read-only transaction", async () => {
      const { t } = scratch.db();
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
          kpi({
            slug: "wipe",
            aggregation: { kind: "count" },
            query: { sql: `DELETE FROM ${t("signups")}` },
          }),
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
        name: "an INSERT",
        write: (t: (x: string) => string) => `INSERT INTO ${t("signups")} VALUES ('2026-03-01', 'attack')`,
      },
      {
        name: "a CREATE TABLE",
        write: (t: (x: string) => string) => `CREATE TABLE ${t(ATTACK_TABLE)} (x INT)`,
      },
    ])(
      "writes nothing when a statement closes its wrapper to smuggle $name after a COMMIT",
      async ({ write }) => {
        const { t } = scratch.db();
        const day = "CAST('2026-03-01' AS DATE)";
        const counting = (slug: string, from: string) =>
          kpi({
            slug,
            aggregation: { kind: "count" },
            query: { sql: `SELECT CAST(:since AS DATE) AS day, COUNT(*) AS value FROM ${from}` },
          });
        const signups = counting("signups", t("signups"));
        const attackTables = counting(
          "tables",
          `information_schema.tables WHERE table_name = '${t(ATTACK_TABLE)}'`,
        );
        const before = await poll([signups, attackTables]);
        // No :since / :until, so nothing is bound: the statement must still go out as one prepared statement.
        const smuggled = `SELECT ${day} AS day, 1 AS value) AS a; COMMIT; ${write(t)}; SELECT * FROM (SELECT ${day} AS day, 1 AS value`;
        const error = await failure(
          poll([kpi({ slug: "smuggle", aggregation: { kind: "count" }, query: { sql: smuggled } })]),
        );
        expect(error.message).toMatch(
          dialect === "postgres"
            ? /^KPI "smuggle": query.sql holds more than one statement; the SQL source runs exactly one SELECT\.$/
            : /^KPI "smuggle": the query failed on MySQL .*SQL syntax/,
        );
        expect(await poll([signups, attackTables])).toEqual(before);
        expect(before.find((s) => s.kpi === "tables")?.value).toBe(0);
      },
    );

    it("reads in a session that is itself read-only, not only in a read-only transaction", async () => {
      const setting =
        dialect === "postgres"
          ? "CASE WHEN current_setting('default_transaction_read_only') = 'on' THEN 1 ELSE 0 END"
          : "@@session.tx_read_only";
      const rows = await poll([
        kpi({
          slug: "ro",
          aggregation: { kind: "count" },
          query: { sql: `SELECT CAST(:since AS DATE) AS day, ${setting} AS value` },
        }),
      ]);
      expect(rows.map((r) => r.value)).toEqual([1]);
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
        name: "a number too large to store exactly",
        sql: "SELECT CAST(:since AS DATE) AS day, 1e300 AS value",
        expected:
          /KPI "bad": the row for 2026-03-01 has value = .*, which is outside the range between -10\^15 and 10\^15/,
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

    it("stops a statement at statement_timeout_ms and a result at max_rows", async () => {
      const { t } = scratch.db();
      const sleep =
        dialect === "postgres" ? "(SELECT 1 FROM pg_sleep(2)) AS s" : "(SELECT SLEEP(2) AS z) AS s";
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
