import { describe, expect, it } from "vitest";
import { loadCatalogFile, parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { ClgError } from "../../src/errors.ts";

const FIXTURE = new URL("./fixtures/catalog.yaml", import.meta.url).pathname;

function problems(text: string): string {
  try {
    parseCatalogText(text, "bad.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ClgError);
    expect((e as ClgError).code).toBe("clg_catalog_invalid");
    return (e as ClgError).message;
  }
  throw new Error("expected the catalog to be rejected");
}

const kpi = (extra: string) => `
kpis:
  - slug: signups
    name: Signups
    stage: interest
    unit: count
    direction: up
    aggregation: { kind: count }
${extra}`;

describe("parseCatalogText", () => {
  it("reads the example catalog with defaults filled in", async () => {
    const c = await loadCatalogFile(FIXTURE);
    expect(c.kpis.map((k) => k.slug)).toEqual([
      "signups",
      "activated",
      "activation_rate",
      "nps",
      "activations_per_signup",
    ]);
    expect(c.kpis[1]?.windows).toEqual(["7d", "28d"]);
    expect(c.subscriptions[0]?.locale).toBeUndefined(); // the workspace's locale
  });

  it("reads JSON too", () => {
    const c = parseCatalogText(JSON.stringify({ timezone: "UTC", kpis: [] }), "c.json");
    expect(c.timezone).toBe("UTC");
  });

  it.each([
    ["YAML syntax, with line and column", "kpis:\n  - slug: a\n   name: b\n", /bad\.yaml:3:\d+ \(syntax\)/],
    [
      "a wrong type at its path and line",
      kpi("    thresholds:\n      - { status: red, below: ten }"),
      /bad\.yaml:10:\d+ kpis\[0\]\.thresholds\[0\]\.below: expected number, received string/,
    ],
    ["an unknown field", kpi("    colour: blue"), /kpis\[0\]\.colour: unknown field/],
    [
      "a missing field",
      "kpis:\n  - slug: a\n    stage: interest\n    unit: count\n    direction: up\n    aggregation: { kind: count }\n",
      /kpis\[0\]\.name: required: expected string/,
    ],
    [
      "an unknown aggregation",
      kpi("").replace("kind: count", "kind: median"),
      /kpis\[0\]\.aggregation\.kind: expected one of "count", "sum"/,
    ],
    [
      "a rule with both bounds",
      kpi("    thresholds:\n      - { status: red, below: 1, above: 2 }"),
      /kpis\[0\]\.thresholds\[0\]: a threshold rule needs exactly one/,
    ],
    [
      "a duplicate slug",
      kpi(
        "  - slug: signups\n    name: Again\n    stage: interest\n    unit: count\n    direction: up\n    aggregation: { kind: count }",
      ),
      /kpis\[1\]\.slug: duplicate slug "signups" \(also kpis\[0\]\)/,
    ],
    [
      "an alias that is another KPI's slug",
      kpi(
        "  - slug: trials\n    name: T\n    aliases: [signups]\n    stage: interest\n    unit: count\n    direction: up\n    aggregation: { kind: count }",
      ),
      /kpis\[1\]\.aliases\[0\]: alias "signups" is already the slug of kpis\[0\]/,
    ],
    [
      "an unknown source",
      `sources:\n  - { name: stripe, kind: stripe }\n${kpi("    source: strip")}`,
      /kpis\[0\]\.source: unknown source "strip" \(did you mean "stripe"\?\)/,
    ],
    [
      "a threshold window the KPI lacks",
      kpi("    windows: [7d]\n    thresholds:\n      - { status: red, below: 5, window: 28d }"),
      /kpis\[0\]\.thresholds\[0\]\.window: "28d" is not one of this KPI's windows \(7d\)/,
    ],
    [
      "a negative count target",
      kpi("    targets:\n      - { period: month, value: -5 }"),
      /kpis\[0\]\.targets\[0\]\.value: a count target cannot be negative/,
    ],
    [
      "a threshold beyond the range numbers are stored in",
      kpi("    thresholds:\n      - { status: red, above: 1e300 }"),
      /kpis\[0\]\.thresholds\[0\]\.above: 1e\+300 is outside the range between -10\^15 and 10\^15/,
    ],
    [
      "a target beyond the range",
      kpi("    targets:\n      - { period: month, value: 2e15 }"),
      /kpis\[0\]\.targets\[0\]\.value: 2000000000000000 is outside the range/,
    ],
    [
      "an infinite threshold written in JSON-compatible YAML",
      kpi("    thresholds:\n      - { status: red, below: .inf }"),
      /kpis\[0\]\.thresholds\[0\]\.below: /,
    ],
    [
      "a negative count threshold",
      kpi("    thresholds:\n      - { status: red, below: -1 }"),
      /kpis\[0\]\.thresholds\[0\]\.below: a count cannot be negative/,
    ],
    [
      "a score outside the scale",
      kpi("").replace(
        "{ kind: count }",
        "{ kind: distribution, scale: { min: 0, max: 10 }, statistic: nps, promoter_min: 11 }",
      ),
      /kpis\[0\]\.aggregation\.promoter_min: 11 is outside the scale 0-10/,
    ],
    [
      "a formula with an unknown KPI",
      kpi(
        "  - slug: per\n    name: P\n    stage: interest\n    unit: ratio\n    direction: up\n    aggregation: { kind: formula, expression: signup * 2 }",
      ),
      /kpis\[1\]\.aggregation\.expression: .*"signup".*did you mean "signups"/,
    ],
    [
      "a formula cycle",
      "kpis:\n  - { slug: a, name: A, stage: interest, unit: number, direction: up, aggregation: { kind: formula, expression: b + 1 } }\n  - { slug: b, name: B, stage: interest, unit: number, direction: up, aggregation: { kind: formula, expression: a + 1 } }\n",
      /formula cycle: a -> b -> a/,
    ],
    [
      "a subscription to an unknown KPI",
      `${kpi("")}subscriptions:\n  - { channel: C1, kind: alerts, filter: { kpi: signup } }\n`,
      /subscriptions\[0\]\.filter\.kpi: unknown KPI "signup"/,
    ],
  ])("rejects %s", (_name, text, expected) => {
    expect(problems(text)).toMatch(expected);
  });

  it("lists every problem at once", () => {
    const msg = problems(kpi("    colour: blue\n    windows: [7x]"));
    expect(msg).toMatch(/\(2 problems\)/);
    expect(msg.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(2);
  });

  it("names a missing file", async () => {
    await expect(loadCatalogFile("/nonexistent/catalog.yaml")).rejects.toThrow(/no such file/);
  });
});
