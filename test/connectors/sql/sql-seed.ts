import { afterAll, beforeAll, expect } from "vitest";
import { pollSql, type SqlDialect } from "../../../src/connectors/sql/index.ts";
import { ClgError } from "../../../src/errors.ts";
import type { KpiDefinition } from "../../../src/kpi/definition.ts";
import type { Sample } from "../../../src/kpi/sample.ts";
import { openScratch, type SqlScratch, sqlSource } from "./sql-fixture.ts";

export const RANGE = { since: "2026-03-01", until: "2026-03-02" };

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

export async function seed(db: SqlScratch): Promise<void> {
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

export const sample = (kpi: string, day: string, fields: Partial<Sample>, segment = ""): Sample => ({
  kpi,
  day,
  segment,
  value: null,
  num: null,
  den: null,
  dist: null,
  ...fields,
});

export const byKey = (samples: Sample[]) =>
  [...samples].sort((a, b) =>
    `${a.kpi}|${a.day}|${a.segment}`.localeCompare(`${b.kpi}|${b.day}|${b.segment}`),
  );

export async function failure(promise: Promise<unknown>): Promise<ClgError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(ClgError);
    expect((e as ClgError).code).toBe("clg_source_failed");
    return e as ClgError;
  }
  throw new Error("expected the poll to fail");
}

/**
 * A seeded scratch area for one describe block (opened before its tests, dropped after) and a `poll`
 * that reads it through the real connector.
 */
export function seededScratch(dialect: SqlDialect) {
  let scratch: SqlScratch | undefined;
  beforeAll(async () => {
    scratch = await openScratch(dialect);
    await seed(scratch);
  });
  afterAll(async () => {
    await scratch?.drop();
  });
  const db = (): SqlScratch => {
    if (!scratch) throw new Error("the scratch database is opened in beforeAll");
    return scratch;
  };
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
      secret: secret ?? db().url,
    });
  return { db, poll };
}
