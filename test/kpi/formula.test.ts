import { describe, expect, it } from "vitest";
import type { Aggregation } from "../../src/kpi/definition.ts";
import { evaluateFormula, evaluationOrder, parseFormula, validateFormulas } from "../../src/kpi/formula.ts";
import { buildSeriesIndex } from "../../src/kpi/series-index.ts";
import { createValueSource } from "../../src/kpi/value-source.ts";
import { kpi, sample, valueSeries } from "./fixtures.ts";

const values: Record<string, number | null> = {
  mrr: 1000,
  churned: 50,
  expansion: 120,
  zero: 0,
  missing: null,
};
const starts: Record<string, number | null> = { mrr: 900 };
const resolver = { value: (s: string) => values[s] ?? null, start: (s: string) => starts[s] ?? null };

describe("formulas", () => {
  const cases: [string, number | null][] = [
    ["mrr * 12", 12_000],
    ["(start(mrr) + expansion - churned) / start(mrr) * 100", ((900 + 120 - 50) / 900) * 100],
    ["min(mrr, expansion)", 120],
    ["max(mrr, expansion) - 1", 999],
    ["-churned + 2 * 3", -44],
    ["mrr / zero", null],
    ["mrr + missing", null],
    ["min(missing, 1)", null],
    ["start(expansion)", null],
    ["1.5e3 / 3", 500],
  ];
  it.each(cases)("%s = %s", (expression, expected) => {
    const out = evaluateFormula(parseFormula(expression).node, resolver);
    if (expected === null) expect(out).toBeNull();
    else expect(out).toBeCloseTo(expected, 9);
  });

  it("lists the KPIs a formula reads, once each", () => {
    expect(parseFormula("(start(mrr) + expansion - churned) / start(mrr)").refs).toEqual([
      "mrr",
      "expansion",
      "churned",
    ]);
  });

  it.each([
    ["a % b", '"%"'],
    ["a == b", '"=="'],
    ["a ? b : c", "ConditionalExpression"],
    ["foo(a)", '"foo"'],
    ["a.b", "MemberExpression"],
    ["'text'", "not a number"],
    ["start(1)", "start()"],
    ["min(a)", "it takes a, b"],
    ["nrr(a, b)", "it takes start, expansion, contraction, churned"],
    ["a +", "cannot be read"],
    ["!a", '"!"'],
  ])("rejects %s naming the problem", (expression, part) => {
    expect(() => parseFormula(expression)).toThrow(expect.objectContaining({ code: "clg_catalog_invalid" }));
    expect(() => parseFormula(expression)).toThrow(part);
  });
});

const formula = (slug: string, expression: string) =>
  kpi({ slug, unit: "currency", aggregation: { kind: "formula", expression } });
const latest = (slug: string) => kpi({ slug, unit: "currency", aggregation: { kind: "latest" } });

describe("validateFormulas", () => {
  it("accepts a sound catalog", () => {
    expect(validateFormulas([latest("mrr"), formula("arr", "mrr * 12")])).toEqual([]);
  });

  it("reports unknown KPIs with their path and the closest slug", () => {
    const issues = validateFormulas([latest("mrr"), formula("arr", "mrrr * 12")]);
    expect(issues).toEqual([
      {
        path: "kpis[1].aggregation.expression",
        message: 'arr: the formula uses "mrrr", which is not a KPI in the catalog (did you mean "mrr"?)',
      },
    ]);
  });

  it("names a cycle", () => {
    const issues = validateFormulas([latest("x"), formula("arr", "mrr * 12"), formula("mrr", "arr / 12")]);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe("kpis[1].aggregation.expression");
    expect(issues[0]?.message).toContain("arr -> mrr -> arr");
  });

  it("names a KPI that reads itself and an unreadable formula", () => {
    const issues = validateFormulas([formula("a", "a + 1"), formula("b", "1 +")]);
    expect(issues.map((i) => i.path)).toEqual([
      "kpis[1].aggregation.expression",
      "kpis[0].aggregation.expression",
    ]);
    expect(issues[1]?.message).toContain("a -> a");
  });
});

describe("evaluationOrder", () => {
  it("puts inputs before the formulas that read them", () => {
    const defs = [
      formula("ltv_cac", "ltv / cac"),
      formula("ltv", "arpu * 10"),
      latest("arpu"),
      latest("cac"),
    ];
    expect(evaluationOrder(defs).map((d) => d.slug)).toEqual(["arpu", "ltv", "cac", "ltv_cac"]);
  });

  it("throws on a cycle", () => {
    expect(() => evaluationOrder([formula("a", "b"), formula("b", "a")])).toThrow("a -> b -> a");
  });
});

describe("createValueSource", () => {
  it("evaluates NRR from stocks with start() and nests formulas", () => {
    const lat: Aggregation = { kind: "latest" };
    const defs = [
      kpi({ slug: "mrr", unit: "currency", aggregation: lat }),
      kpi({ slug: "expansion", unit: "currency", aggregation: { kind: "sum" } }),
      formula("nrr", "(start(mrr) + expansion) / start(mrr) * 100"),
      formula("nrr_pp", "nrr - 100"),
    ];
    const indexes = new Map([
      ["mrr", buildSeriesIndex(valueSeries("2026-02-25", [1000, null, null, null, 1100, 1200]))],
      [
        "expansion",
        buildSeriesIndex([sample("2026-03-01", { value: 30 }), sample("2026-03-02", { value: 20 })]),
      ],
    ]);
    const source = createValueSource(new Map(defs.map((d) => [d.slug, d])), indexes);
    const range = { start: "2026-02-28", end: "2026-03-02" };
    // mrr has no sample on Feb 28: start(mrr) is the last value before it (1000 on Feb 25).
    expect(source.start("mrr", range)).toBe(1000);
    expect(source.value("nrr", range).value).toBeCloseTo(105, 9);
    expect(source.value("nrr_pp", range).value).toBeCloseTo(5, 9);
    expect(source.value("unknown", range).value).toBeNull();
    // A window opening on a day that moved MRR starts from the day before: 1000, not 1100.
    expect(source.start("mrr", { start: "2026-03-01", end: "2026-03-02" })).toBe(1000);
    expect(source.start("nrr_pp", { start: "2026-03-01", end: "2026-03-02" })).toBeNull();
  });
});
