import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { catalogJsonSchemaText } from "../../src/catalog/catalog-json-schema.ts";

describe("docs/catalog.schema.json", () => {
  it("is current (regenerate with: npx tsx scripts/export-catalog-schema.ts)", () => {
    const committed = readFileSync(new URL("../../docs/catalog.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(catalogJsonSchemaText());
  });

  it("describes the KPI fields", () => {
    const schema = JSON.parse(catalogJsonSchemaText());
    const kpi = schema.properties.kpis.items;
    expect(kpi.required).toEqual(
      expect.arrayContaining(["slug", "name", "stage", "unit", "direction", "aggregation"]),
    );
    expect(kpi.required).not.toContain("windows");
  });
});
