import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";

describe("the catalog docs' example", () => {
  it("has a full example that is a valid catalog", () => {
    const md = readFileSync(new URL("../../docs/catalog.md", import.meta.url), "utf8");
    const yaml = md.split("### A full example")[1]?.split("```yaml\n")[1]?.split("```")[0] ?? "";
    const catalog = parseCatalogText(yaml, "docs/catalog.md");
    expect(catalog.kpis.map((k) => k.aggregation.kind)).toEqual([
      "count",
      "count",
      "ratio",
      "distribution",
      "latest",
      "formula",
    ]);
  });
});
