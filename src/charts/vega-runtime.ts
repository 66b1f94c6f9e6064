import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { compileFunction } from "node:vm";
import type * as Vega from "vega";

/**
 * vega's self-contained single-file build, loaded as the CommonJS module its UMD wrapper expects.
 * Importing vega's ESM graph (about 40 packages) takes about 380 ms through tsx's loader hooks, most of a
 * cold start; the bundle of the same installed version loads in about 50 ms. It is evaluated directly
 * because `require` would treat it as ESM (vega's package.json says "type": "module").
 */
function loadVegaBundle(): typeof Vega {
  const require = createRequire(import.meta.url);
  const filename = join(dirname(require.resolve("vega")), "vega.js");
  const module = { exports: {} as Record<string, unknown> };
  compileFunction(readFileSync(filename, "utf8"), ["exports", "module"], { filename })(
    module.exports,
    module,
  );
  if (typeof module.exports.View !== "function") throw new Error(`${filename} did not load as vega`);
  return module.exports as unknown as typeof Vega;
}

export const vega = loadVegaBundle();
