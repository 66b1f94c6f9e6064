import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSamplesCsv } from "../../src/catalog/import-samples-csv.ts";
import { loadSamples } from "../../src/db/samples-repository.ts";
import { ClgError } from "../../src/errors.ts";
import { addDays } from "../../src/kpi/days.ts";
import { type KpiDefinitionInput, kpiDefinitionSchema } from "../../src/kpi/definition.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const def = (slug: string, aggregation: KpiDefinitionInput["aggregation"]) =>
  kpiDefinitionSchema.parse({
    slug,
    name: slug,
    stage: "activation",
    unit: "number",
    direction: "up",
    aggregation,
  });
const kpis = [
  def("signups", { kind: "count" }),
  def("activation_rate", { kind: "ratio", scale: 100 }),
  def("nps", { kind: "distribution", scale: { min: 0, max: 10 }, statistic: "nps" }),
  def("csat", { kind: "mean" }),
  def("arr", { kind: "formula", expression: "signups * 12" }),
];
const range = { start: "2026-01-01", end: "2026-01-31" };

const valueCsv = `kpi,day,value,numerator,denominator,segment
signups,2026-01-01,10,,,
signups,2026-01-02,12,,,
signups,2026-01-02,5,,,plan:pro
activation_rate,2026-01-01,,3,10,
`;
const surveyCsv = `KPI,Day,Score
nps,2026-01-05,10
nps,2026-01-05,9
nps,2026-01-05,3
nps,2026-01-06,7
csat,2026-01-05,4
csat,2026-01-05,5
`;

async function rejected(csvText: string, workspace = "bad"): Promise<string> {
  const e = await importSamplesCsv(t.db, { workspace, csvText, kpis }).catch((x) => x);
  expect(e).toBeInstanceOf(ClgError);
  return (e as ClgError).message;
}

describe("importSamplesCsv", () => {
  it("imports values, rates and segments, and changes nothing on a second import", async () => {
    expect(await importSamplesCsv(t.db, { workspace: "w", csvText: valueCsv, kpis })).toEqual({
      rows: 4,
      written: 4,
      unchanged: 0,
    });
    expect(await importSamplesCsv(t.db, { workspace: "w", csvText: valueCsv, kpis })).toEqual({
      rows: 4,
      written: 0,
      unchanged: 4,
    });
    const rows = await loadSamples(t.db, "w", ["signups", "activation_rate"], range);
    expect(rows.map((r) => [r.kpi, r.day, r.segment, r.value, r.num, r.den])).toEqual([
      ["activation_rate", "2026-01-01", "", null, 3, 10],
      ["signups", "2026-01-01", "", 10, null, null],
      ["signups", "2026-01-02", "", 12, null, null],
      ["signups", "2026-01-02", "plan:pro", 5, null, null],
    ]);
  });

  it("replaces a day's value rather than adding to it", async () => {
    const fix = "kpi,day,value\nsignups,2026-01-02,20\n";
    expect(await importSamplesCsv(t.db, { workspace: "w", csvText: fix, kpis })).toEqual({
      rows: 1,
      written: 1,
      unchanged: 0,
    });
    const [row] = await loadSamples(t.db, "w", ["signups"], { start: "2026-01-02", end: "2026-01-02" }, [""]);
    expect(row?.value).toBe(20);
  });

  it("builds a histogram from one row per answer, idempotently", async () => {
    expect(await importSamplesCsv(t.db, { workspace: "w", csvText: surveyCsv, kpis })).toEqual({
      rows: 6,
      written: 3,
      unchanged: 0,
    });
    expect(await importSamplesCsv(t.db, { workspace: "w", csvText: surveyCsv, kpis })).toEqual({
      rows: 6,
      written: 0,
      unchanged: 3,
    });
    const rows = await loadSamples(t.db, "w", ["nps", "csat"], range);
    expect(rows.map((r) => [r.kpi, r.day, r.dist, r.num, r.den])).toEqual([
      ["csat", "2026-01-05", null, 9, 2],
      ["nps", "2026-01-05", { "3": 1, "9": 1, "10": 1 }, null, null],
      ["nps", "2026-01-06", { "7": 1 }, null, null],
    ]);
  });

  it.each([
    [
      "an unknown KPI",
      "kpi,day,value\nsignup,2026-01-01,1\n",
      /line 2, column 1 \(kpi\): unknown KPI "signup" \(did you mean "signups"\?\)/,
    ],
    [
      "a bad date",
      "kpi,day,value\nsignups,2026-02-30,1\n",
      /line 2, column 2 \(day\): expected a date like 2026-01-31, got "2026-02-30"/,
    ],
    [
      "the year 0000",
      "kpi,day,value\nsignups,0000-01-01,1\n",
      /line 2, column 2 \(day\): 0000-01-01 is before the year 1900; days are from 1900-01-01 on/,
    ],
    [
      "a number too large to store",
      `kpi,day,value\nsignups,2026-01-01,${"9".repeat(400)}\n`,
      /line 2, column 3 \(value\): "9+" is outside the range between -10\^15 and 10\^15/,
    ],
    [
      "Infinity",
      "kpi,day,numerator,denominator\nactivation_rate,2026-01-01,Infinity,10\n",
      /line 2, column 3 \(numerator\): "Infinity" is outside the range/,
    ],
    [
      "a word for a number",
      "kpi,day,value\nsignups,2026-01-01,ten\n",
      /line 2, column 3 \(value\): expected a number, got "ten"/,
    ],
    [
      "a missing denominator",
      "kpi,day,numerator,denominator\nactivation_rate,2026-01-01,3,\n",
      /line 2, column 4 \(denominator\): a ratio KPI needs a number here/,
    ],
    [
      "a score outside the scale",
      "kpi,day,score\nnps,2026-01-01,11\n",
      /line 2, column 3 \(score\): expected a whole number from 0 to 10, got 11/,
    ],
    [
      "the same day twice",
      "kpi,day,value\nsignups,2026-01-01,1\nsignups,2026-01-01,2\n",
      /line 3, column 2 \(day\): a second row for signups on 2026-01-01; the first is on line 2/,
    ],
    ["a formula KPI", "kpi,day,value\narr,2026-01-01,1\n", /arr is computed from other KPIs/],
    [
      "a bad segment",
      "kpi,day,value,segment\nsignups,2026-01-01,1,pro\n",
      /column 4 \(segment\): expected "dimension:value"/,
    ],
    [
      "a header without kpi",
      "metric_name,day,value\nsignups,2026-01-01,1\n",
      /the header has no "kpi" column/,
    ],
    ["a ragged row", "kpi,day,value\nsignups,2026-01-01\n", /Invalid Record Length/],
  ])("rejects %s, naming line and column", async (_name, csv, expected) => {
    expect(await rejected(csv)).toMatch(expected);
  });

  it("writes nothing when any row is bad", async () => {
    const csv = "kpi,day,value\nsignups,2026-01-09,1\nsignups,2026-01-10,x\nsignups,2026-01-11,3\n";
    expect(await rejected(csv, "partial")).toMatch(/\(1 problem\):\n {2}- samples\.csv line 3, column 3/);
    expect(await loadSamples(t.db, "partial", ["signups"], range)).toEqual([]);
  });

  it("streams a long file in batches, and still writes nothing when its last row is bad", async () => {
    const days = 1_000;
    let produced = 0;
    const file = (last: string) =>
      Readable.from(
        (function* () {
          yield "kpi,day,value\n";
          for (let i = 0; i < days; i++) {
            produced++;
            yield `signups,${addDays("2024-01-01", i)},${i}\n`;
          }
          yield last;
        })(),
      );
    const seen: [number, number][] = [];
    const onBatch = (staged: number) => seen.push([staged, produced]);
    const bad = await importSamplesCsv(t.db, {
      workspace: "stream",
      input: file("signups,2026-01-01,x\n"),
      kpis,
      batchRows: 100,
      onBatch,
    }).catch((e) => e);
    expect(bad).toBeInstanceOf(ClgError);
    expect(bad.message).toMatch(/line 1002, column 3 \(value\): expected a number, got "x"/);
    // Batches reached the database while the file was still being read, and were rolled back.
    expect(seen.slice(0, 3).map(([staged]) => staged)).toEqual([100, 200, 300]);
    expect(seen[0]?.[1]).toBeLessThan(days);
    const all = { start: "2024-01-01", end: "2026-12-31" };
    expect(await loadSamples(t.db, "stream", ["signups"], all)).toEqual([]);

    produced = 0;
    const twice = await importSamplesCsv(t.db, {
      workspace: "stream",
      input: file("signups,2024-01-05,7\n"),
      kpis,
      batchRows: 100,
    }).catch((e) => e);
    expect(twice.message).toMatch(
      /line 1002, column 2 \(day\): a second row for signups on 2024-01-05; the first is on line 6/,
    );
    expect(await loadSamples(t.db, "stream", ["signups"], all)).toEqual([]);

    produced = 0;
    expect(
      await importSamplesCsv(t.db, { workspace: "stream", input: file(""), kpis, batchRows: 100 }),
    ).toEqual({ rows: days, written: days, unchanged: 0 });
    expect(await loadSamples(t.db, "stream", ["signups"], all)).toHaveLength(days);
  });
});
