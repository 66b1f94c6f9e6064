import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";

const md = readFileSync(new URL("../../docs/sources.md", import.meta.url), "utf8");
/** Every YAML block that is a whole catalog (sources and KPIs). */
const examples = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? "")
  .filter((y) => y.startsWith("sources:") && y.includes("\nkpis:"));

describe("the sources docs' catalog examples", () => {
  it("has one for each kind beyond SQL", () => {
    const kinds = examples.flatMap((y) => [...y.matchAll(/^ {4}kind: (\w+)/gm)].map((m) => m[1]));
    expect(new Set(kinds)).toEqual(new Set(["stripe", "http_csv", "ga4", "mixpanel"]));
  });

  it.each(examples.map((y, i) => [i, y]))(
    "example %i passes the catalog check, connectors included",
    (_i, yaml) => {
      expect(() => parseCatalogText(yaml as string, "docs/sources.md")).not.toThrow();
    },
  );
});
