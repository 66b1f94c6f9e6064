import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importSamplesCsv } from "../../src/catalog/import-samples-csv.ts";
import { loadSamples } from "../../src/db/samples-repository.ts";
import { ClgError } from "../../src/errors.ts";
import { type KpiDefinitionInput, kpiDefinitionSchema } from "../../src/kpi/definition.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const def = (slug: string, unit: string, aggregation: KpiDefinitionInput["aggregation"]) =>
  kpiDefinitionSchema.parse({ slug, name: slug, stage: "activation", unit, direction: "up", aggregation });
const kpis = [
  def("signups", "count", { kind: "count" }),
  def("activation", "percent", { kind: "ratio", scale: 100 }),
  def("ltv_cac", "ratio", { kind: "ratio" }),
  def("refunds", "currency", { kind: "sum" }),
];
const range = { start: "2026-01-01", end: "2026-01-31" };

async function refusal(csvText: string): Promise<string> {
  const e = await importSamplesCsv(t.db, {
    workspace: "w",
    csvText,
    kpis,
    fileName: "data/history.csv",
  }).catch((x) => x);
  expect(e).toBeInstanceOf(ClgError);
  return (e as ClgError).message;
}

describe("CSV rows a KPI cannot hold", () => {
  it("refuses negative counts and rates over 100%, with the file, line and column, and writes nothing", async () => {
    const message = await refusal(
      [
        "kpi,day,value,numerator,denominator",
        "signups,2026-01-01,12,,",
        "signups,2026-01-02,-3,,",
        "activation,2026-01-02,,12,10",
        "activation,2026-01-03,,-1,10",
        "",
      ].join("\n"),
    );
    expect(message).toContain("data/history.csv was not imported (3 problems)");
    expect(message).toContain(
      "data/history.csv line 3, column 3 (value): a count cannot be negative, got -3",
    );
    expect(message).toContain(
      "data/history.csv line 4, column 4 (numerator): the numerator (12) is larger than the denominator (10); a rate cannot be over 100%",
    );
    expect(message).toContain("line 5, column 4 (numerator): a numerator cannot be negative, got -1");
    expect(await loadSamples(t.db, "w", ["signups", "activation"], range)).toEqual([]);
  });

  it("keeps what may be so: a ratio that is not a percent above 1, a negative sum of money", async () => {
    const r = await importSamplesCsv(t.db, {
      workspace: "w",
      kpis,
      csvText: "kpi,day,value,numerator,denominator\nltv_cac,2026-01-01,,30,10\nrefunds,2026-01-01,-40,,\n",
    });
    expect(r.written).toBe(2);
  });
});
