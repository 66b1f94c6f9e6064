import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../src/errors.ts";
import { documentedErrorCodes } from "./doc-examples.ts";

const SRC = new URL("../../src/", import.meta.url).pathname;

/**
 * Every "clg_…" string in src/ that is an error code. Metric names (`name: "clg_…_total"`) and table
 * names held in UPPER_CASE constants are not codes.
 */
function codesUsedInSource(): string[] {
  const found = new Set<string>();
  for (const file of readdirSync(SRC, { recursive: true, encoding: "utf8" })) {
    if (!/\.(ts|mjs)$/.test(file)) continue;
    for (const line of readFileSync(join(SRC, file), "utf8").split("\n")) {
      if (/\bname:\s*"clg_|const [A-Z_]+ = "clg_/.test(line)) continue;
      for (const m of line.matchAll(/["'`](clg_[a-z_]+)["'`]/g)) found.add(m[1] as string);
    }
  }
  return [...found].sort();
}

describe("the error-code table in docs/commands.md", () => {
  it("finds codes in the source (the scan works)", () => {
    expect(codesUsedInSource()).toEqual(expect.arrayContaining(["clg_unknown_kpi", "clg_bad_request"]));
    expect(codesUsedInSource()).not.toContain("clg_commands_total");
  });

  it("lists every code of src/errors.ts and every clg_* code used in src/", () => {
    const documented = new Set(documentedErrorCodes());
    const missing = [...new Set([...ERROR_CODES, ...codesUsedInSource()])].filter((c) => !documented.has(c));
    expect(missing).toEqual([]);
  });

  it("lists no code that does not exist", () => {
    const known = new Set<string>([...ERROR_CODES, ...codesUsedInSource()]);
    expect(documentedErrorCodes().filter((c) => !known.has(c))).toEqual([]);
  });
});
