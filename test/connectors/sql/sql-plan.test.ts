import { describe, expect, it } from "vitest";
import {
  bindNamedParams,
  parseSqlConfig,
  planSqlKpi,
  pollSql,
  readSqlTarget,
} from "../../../src/connectors/sql/index.ts";
import { limitRows } from "../../../src/connectors/sql/sql-session.ts";
import { ClgError } from "../../../src/errors.ts";
import { redactUrlPasswords } from "../../../src/redact.ts";
import { kpi, sqlSource } from "./sql-fixture.ts";

const DAYS = { since: "2026-03-01", until: "2026-03-07" };

function thrown(fn: () => unknown): ClgError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ClgError);
    return e as ClgError;
  }
  throw new Error("expected an error");
}

describe("bindNamedParams", () => {
  it.each([
    {
      sql: "SELECT day FROM t WHERE day BETWEEN :since AND :until",
      postgres: ["SELECT day FROM t WHERE day BETWEEN $1 AND $2", DAYS.since, DAYS.until],
      mysql: ["SELECT day FROM t WHERE day BETWEEN ? AND ?", DAYS.since, DAYS.until],
    },
    {
      sql: "SELECT :until::date AS day, :until AS u, :SINCE AS s",
      postgres: ["SELECT $1::date AS day, $1 AS u, $2 AS s", DAYS.until, DAYS.since],
      mysql: ["SELECT ?::date AS day, ? AS u, ? AS s", DAYS.until, DAYS.until, DAYS.since],
    },
    {
      sql: "SELECT ':since', \"a:since\", 'it''s :until' -- :until\n/* :since */ FROM t WHERE d = :since",
      postgres: [
        "SELECT ':since', \"a:since\", 'it''s :until' -- :until\n/* :since */ FROM t WHERE d = $1",
        DAYS.since,
      ],
      mysql: [
        "SELECT ':since', \"a:since\", 'it''s :until' -- :until\n/* :since */ FROM t WHERE d = ?",
        DAYS.since,
      ],
    },
    {
      sql: "SELECT $tag$ :since $tag$, x FROM t WHERE d <= :until",
      postgres: ["SELECT $tag$ :since $tag$, x FROM t WHERE d <= $1", DAYS.until],
      mysql: null,
    },
    {
      sql: "SELECT `a:since`, 'don\\'t :until' # :since\nFROM t WHERE d = :until",
      postgres: null,
      mysql: ["SELECT `a:since`, 'don\\'t :until' # :since\nFROM t WHERE d = ?", DAYS.until],
    },
  ])("binds $sql", ({ sql, postgres, mysql }) => {
    for (const [dialect, expected] of [
      ["postgres", postgres],
      ["mysql", mysql],
    ] as const) {
      if (expected === null) continue;
      const [text, ...values] = expected;
      expect(bindNamedParams(sql, dialect, DAYS)).toEqual({ ok: true, statement: { text, values } });
    }
  });

  it("reports a name it would leave unbound", () => {
    expect(bindNamedParams("SELECT :since, :start_day", "postgres", DAYS)).toEqual({
      ok: false,
      unknown: "start_day",
    });
  });
});

describe("limitRows", () => {
  it("wraps the statement under a LIMIT one past the cap, surviving a trailing comment and semicolon", () => {
    expect(limitRows("SELECT 1 -- note\n;  ", 10)).toBe(
      "SELECT * FROM (\nSELECT 1 -- note\n) AS clg_rows LIMIT 11",
    );
  });
});

describe("SQL source config", () => {
  it("fills the defaults", () => {
    expect(parseSqlConfig(sqlSource("mysql"))).toEqual({
      dialect: "mysql",
      statement_timeout_ms: 15_000,
      max_rows: 500_000,
      connect_timeout_ms: 10_000,
    });
  });

  it.each([
    [{ dialect: "oracle" }, "config.dialect"],
    [{}, "config.dialect"],
    [{ dialect: "postgres", max_rows: 0 }, "config.max_rows"],
    [{ dialect: "postgres", statement_timeout_ms: "15s" }, "config.statement_timeout_ms"],
    [{ dialect: "postgres", url: "postgres://x" }, "config"],
  ])("names the field in %j", (config, field) => {
    const error = thrown(() => parseSqlConfig({ name: "product_db", config }));
    expect(error.code).toBe("clg_source_failed");
    expect(error.message).toContain(`SQL source "product_db" is not valid: ${field}`);
  });
});

describe("the connection URL secret", () => {
  const source = sqlSource("postgres");

  it("tells the admin to set the variable and apply again when the secret is missing", () => {
    const error = thrown(() => readSqlTarget(source, "postgres", null));
    expect(error.code).toBe("clg_source_failed");
    expect(error.message).toBe(
      'SQL source "product_db" has no connection URL: PRODUCT_DB_URL was not set when the catalog was applied.',
    );
    expect(error.hint).toContain("Set PRODUCT_DB_URL=postgres://");
    expect(error.hint).toContain("clg catalog apply");
  });

  it.each([
    ["not a url", "is not a URL"],
    ["http://db:5432/app", 'starts with "http://"'],
    ["mysql://root:pw@db/app", 'has dialect "postgres" but PRODUCT_DB_URL is a MySQL URL'],
  ])("rejects %s without quoting it", (url, expected) => {
    const error = thrown(() => readSqlTarget(source, "postgres", url));
    expect(error.message).toContain(expected);
    expect(error.message).not.toContain("pw");
  });

  it("refuses a password with an unencoded @ and / without quoting any part of it", () => {
    const error = thrown(() =>
      readSqlTarget(source, "postgres", "postgres://app:p@ss/w0rd@db.internal/product"),
    );
    expect(error.message).toBe(
      'The connection URL of SQL source "product_db" (PRODUCT_DB_URL) has an "@" after its host, so its password holds characters that must be percent-encoded.',
    );
    expect(error.hint).toContain("write @ as %40, / as %2F");
    expect(`${error.message} ${error.hint}`).not.toMatch(/w0rd|\bss\b/);
    // An @ alone is read correctly (the password runs to the last @), and hidden whole in any text.
    expect(readSqlTarget(source, "postgres", "postgres://app:se@cret@db.internal/product").host).toBe(
      "db.internal",
    );
    expect(redactUrlPasswords("at postgres://app:p@ss/w0rd@db.internal/product now")).toBe(
      "at postgres://app:***@db.internal/product now",
    );
  });

  it("reads host, port, database and user", () => {
    expect(readSqlTarget(source, "postgres", "postgresql://app:pw@db.internal/product")).toMatchObject({
      host: "db.internal",
      port: "5432",
      database: "product",
      user: "app",
    });
  });

  it("fails the poll before connecting when the secret is missing", async () => {
    const poll = pollSql({
      source,
      kpis: [kpi({ slug: "n", aggregation: { kind: "count" }, query: { sql: "SELECT 1" } })],
      ...DAYS,
      timezone: "UTC",
      secret: null,
    });
    await expect(poll).rejects.toThrow(/has no connection URL/);
  });
});

describe("planSqlKpi", () => {
  it.each([
    [{ aggregation: { kind: "count" }, query: {} }, 'KPI "k": query.sql: '],
    [
      { aggregation: { kind: "count" }, query: { sql: "  " } },
      'KPI "k": query.sql: the SQL statement is empty.',
    ],
    [{ aggregation: { kind: "count" }, query: { sql: "SELECT 1", series: "x" } }, 'KPI "k": query: '],
    [
      { aggregation: { kind: "count" }, query: { sql: "/* hi */ UPDATE t SET a = 1" } },
      'KPI "k": query.sql starts with "UPDATE"',
    ],
    [
      { aggregation: { kind: "count" }, query: { sql: "SELECT 1", activation: "1+ login within 7 days" } },
      'query.activation needs aggregation kind "ratio"',
    ],
    [
      { aggregation: { kind: "ratio" }, query: { sql: "SELECT 1", activation: "some logins within 7 days" } },
      'KPI "k": query.activation: "some logins" is not a condition',
    ],
  ])("rejects %j", (input, expected) => {
    const error = thrown(() =>
      planSqlKpi(kpi({ slug: "k", ...(input as object) } as Parameters<typeof kpi>[0])),
    );
    expect(error.code).toBe("clg_source_failed");
    expect(error.message).toContain(expected);
  });

  it("accepts WITH and comment-led statements, reads the rule, and skips formula KPIs", () => {
    const plan = planSqlKpi(
      kpi({
        slug: "k",
        aggregation: { kind: "ratio" },
        query: {
          sql: "-- trials\nWITH x AS (SELECT 1) SELECT * FROM x",
          activation: "10+ search AND 2+ list within 14 days",
        },
      }),
    );
    expect(plan?.rule).toEqual({
      within_days: 14,
      all: [
        { event: "search", min: 10 },
        { event: "list", min: 2 },
      ],
    });
    expect(
      planSqlKpi(kpi({ slug: "f", aggregation: { kind: "formula", expression: "a * 2" }, query: {} })),
    ).toBeNull();
  });
});

describe("registry", () => {
  it("serves sql sources with the SQL connector", async () => {
    const { connectorFor, availableSourceKinds } = await import("../../../src/connectors/registry.ts");
    expect(connectorFor("sql").kind).toBe("sql");
    expect(availableSourceKinds()).toContain("sql");
  });
});
