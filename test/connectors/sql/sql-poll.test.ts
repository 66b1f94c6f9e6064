import { describe, expect, it } from "vitest";
import { pollSql, type SqlDialect } from "../../../src/connectors/sql/index.ts";
import { kpi, SQL_SERVERS, sqlSource } from "./sql-fixture.ts";
import { byKey, RANGE, sample, seededScratch } from "./sql-seed.ts";

const DIALECTS: SqlDialect[] = ["postgres", "mysql"];

for (const dialect of DIALECTS)
  describe.runIf(SQL_SERVERS[dialect])(`SQL connector samples on ${dialect}`, () => {
    const scratch = seededScratch(dialect);
    const poll = scratch.poll;

    it("polls count (with segments), ratio, distribution and latest KPIs on one connection", async () => {
      const { t } = scratch.db();
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
      const { t } = scratch.db();
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
      const { t } = scratch.db();
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
        (
          await pollSql({
            source: sqlSource(dialect),
            kpis: [zone],
            ...RANGE,
            timezone,
            secret: scratch.db().url,
          })
        )[0]?.value;
      expect(await hours("UTC")).toBe(0);
      expect(await hours("Asia/Kolkata")).toBe(5.5);
      expect(await hours("America/New_York")).toBe(-5);
    });
  });
