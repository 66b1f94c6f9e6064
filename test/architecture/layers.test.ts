import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every module a file imports: relative ones as paths under src/, packages by name. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/^\s*(?:import|export)\b(?:[^'"]*?\bfrom)?\s*["']([^"']+)["']/gm)].map(
    (m) => m[1] ?? "",
  );
  return specs.map((s) => (s.startsWith(".") ? relative(SRC, resolve(file, "..", s)) : s));
}

function violations(layer: string, forbidden: (target: string) => boolean): string[] {
  return filesUnder(join(SRC, layer)).flatMap((f) =>
    importsOf(f)
      .filter(forbidden)
      .map((t) => `${relative(SRC, f)} imports ${t}`),
  );
}

const ADAPTERS = ["local/", "server/", "slack/", "teams/", "compose/", "cli/", "logging/"];
const under = (prefixes: string[]) => (t: string) => prefixes.some((p) => t.startsWith(p));

describe("layers point down only", () => {
  it("the application imports no adapter, entry point or composition root", () => {
    const bad = ["app", "commands", "messages", "catalog"].flatMap((l) => violations(l, under(ADAPTERS)));
    expect(bad).toEqual([]);
  });

  it("the domain imports no application, adapter, database, connector or network code", () => {
    const allowedPackages = new Set(["zod", "luxon", "jsep", "fastest-levenshtein"]);
    const bad = violations("kpi", (t) =>
      t.endsWith(".ts") ? !t.startsWith("kpi/") && t !== "errors.ts" : !allowedPackages.has(t),
    );
    expect(bad).toEqual([]);
  });

  it("infrastructure does not reach up into the catalog files, the application or adapters", () => {
    const bad = ["db", "charts", "crypto"].flatMap((l) =>
      violations(l, under(["app/", "catalog/", "commands/", ...ADAPTERS])),
    );
    expect(bad).toEqual([]);
  });

  it("finds imports at all (the check above would pass on an empty tree)", () => {
    expect(importsOf(join(SRC, "compose/service.ts"))).toContain("app/background.ts");
  });
});
