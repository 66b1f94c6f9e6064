import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { compileFunction } from "node:vm";
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite";

const require = createRequire(import.meta.url);

/**
 * Loads a package's self-contained UMD build as the CommonJS module its wrapper expects. Importing vega's
 * ESM graph (about 40 packages, which vega-lite's ESM build pulls in too) costs 0.4 s on a quiet machine
 * and over 1 s on a busy one through tsx's loader hooks, most of a cold start; the bundles of the same
 * installed versions load in a fraction of that. They are evaluated directly because `require` would
 * treat them as ESM (both package.json files say "type": "module").
 */
function loadBundle(pkg: string, file: string, deps: Record<string, unknown>): Record<string, unknown> {
  const filename = join(dirname(require.resolve(pkg)), file);
  const module = { exports: {} as Record<string, unknown> };
  const requireDep = (name: string) => {
    if (!(name in deps)) throw new Error(`${filename} asked for ${name}, which is not provided`);
    return deps[name];
  };
  compileFunction(readFileSync(filename, "utf8"), ["exports", "module", "require"], { filename })(
    module.exports,
    module,
    requireDep,
  );
  return module.exports;
}

export const vega = loadBundle("vega", "vega.js", {}) as unknown as typeof Vega;
if (typeof vega.View !== "function") throw new Error("vega's bundle did not load");

export const vegaLite = loadBundle("vega-lite", "vega-lite.min.js", { vega }) as unknown as typeof VegaLite;
if (typeof vegaLite.compile !== "function") throw new Error("vega-lite's bundle did not load");
