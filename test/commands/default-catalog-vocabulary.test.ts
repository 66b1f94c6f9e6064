import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { catalogSchema } from "../../src/catalog/catalog-schema.ts";
import type { Vocabulary } from "../../src/commands/command.ts";
import { parseCommand } from "../../src/commands/parse-command.ts";

const catalog = catalogSchema.parse(parse(readFileSync("catalog/default.yaml", "utf8")));
const vocab: Vocabulary = {
  kpis: catalog.kpis.map((k) => ({
    slug: k.slug,
    name: k.name,
    aliases: k.aliases,
    dimensions: k.dimensions,
  })),
};

describe("the default catalog through the grammar", () => {
  const phrases = catalog.kpis.flatMap((k) =>
    [k.slug, k.name, ...k.aliases].map((p) => [p, k.slug] as const),
  );

  it.each(phrases)("%j reaches %s, also with a window", (phrase, slug) => {
    for (const text of [phrase, `${phrase} 28d`, `${phrase.toUpperCase()} vs target`]) {
      const result = parseCommand(text, vocab);
      expect(result.ok && result.value.kind === "kpi" && result.value.kpi, text).toBe(slug);
    }
  });

  it("suggests the right KPI for a one-letter typo of each slug", () => {
    for (const kpi of catalog.kpis.filter((k) => k.slug.length >= 5)) {
      const typo = `${kpi.slug.slice(0, 2)}${kpi.slug.slice(3)}`;
      const result = parseCommand(typo, vocab);
      if (result.ok) continue; // the typo happens to be another valid word
      const meant = result.error.suggestions.map((s) => {
        const again = parseCommand(s, vocab);
        return again.ok && again.value.kind === "kpi" ? again.value.kpi : null;
      });
      expect(meant, typo).toContain(kpi.slug);
      expect(meant.length).toBeLessThanOrEqual(3);
    }
  });
});
