import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogSchema } from "../../src/catalog/catalog-schema.ts";
import { JOURNEY_STAGES } from "../../src/kpi/stage.ts";

const catalog = catalogSchema.parse(parse(readFileSync("catalog/default.yaml", "utf8")));

describe("default catalog", () => {
  it("has one demo source in UTC", () => {
    expect(catalog.timezone).toBe("UTC");
    expect(catalog.sources.map((s) => [s.name, s.kind])).toEqual([["demo", "demo"]]);
  });

  it("covers every journey stage and customer success", () => {
    const stages = new Set(catalog.kpis.map((k) => k.stage));
    for (const stage of [...JOURNEY_STAGES, "customer_success"]) expect(stages).toContain(stage);
  });

  it("gives every name and alias to one KPI only", () => {
    const owner = new Map<string, string>();
    for (const kpi of catalog.kpis) {
      for (const phrase of [kpi.slug, kpi.name, ...kpi.aliases].map((p) => p.toLowerCase())) {
        const other = owner.get(phrase);
        expect(other === undefined || other === kpi.slug, `"${phrase}" names ${other} and ${kpi.slug}`).toBe(
          true,
        );
        owner.set(phrase, kpi.slug);
      }
    }
  });

  it("only references KPIs that exist in formulas", () => {
    const slugs = new Set(catalog.kpis.map((k) => k.slug));
    for (const kpi of catalog.kpis) {
      if (kpi.aggregation.kind !== "formula") continue;
      const words = kpi.aggregation.expression.match(/[a-z][a-z0-9_]*/g) ?? [];
      for (const word of words.filter((w) => w !== "start" && w !== "min" && w !== "max")) {
        expect(slugs, `${kpi.slug} reads ${word}`).toContain(word);
      }
    }
  });

  it("keeps the activation rule and thresholds the dashboard is built around", () => {
    const activation = catalog.kpis.find((k) => k.slug === "activation");
    expect(activation?.thresholds).toContainEqual({ status: "red", below: 50 });
    expect(activation?.query.activation).toMatchObject({ within_days: 7 });
    expect(activation?.dimensions).toEqual(["plan"]);
  });
});
