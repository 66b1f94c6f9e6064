import { readFileSync } from "node:fs";
import type { TopLevelSpec } from "vega-lite";
import type { TemplateName } from "./chart-data.ts";
import { STATUS_SCALES, THEME_CONFIG } from "./theme.ts";

const TEMPLATE_DIR = new URL("../../charts/", import.meta.url);

/** `"scale": "@name"` in a template stands for a scale shared by all templates, defined once in the theme. */
const SHARED_SCALES: Record<string, unknown> = {
  "@statusColor": STATUS_SCALES.color,
  "@statusShape": STATUS_SCALES.shape,
  "@band": STATUS_SCALES.band,
};

function resolveShared(node: unknown): unknown {
  if (typeof node === "string" && node.startsWith("@")) {
    const scale = SHARED_SCALES[node];
    if (!scale) throw new Error(`chart template refers to unknown shared scale ${node}`);
    return scale;
  }
  if (Array.isArray(node)) return node.map(resolveShared);
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolveShared(v)]));
  }
  return node;
}

const cache = new Map<TemplateName, TopLevelSpec>();

/** The template from `charts/<name>.vl.json` with shared scales and the theme filled in; data still unbound. */
export function templateSpec(name: TemplateName): TopLevelSpec {
  let spec = cache.get(name);
  if (!spec) {
    const raw = JSON.parse(readFileSync(new URL(`${name}.vl.json`, TEMPLATE_DIR), "utf8")) as Record<
      string,
      unknown
    >;
    spec = { ...(resolveShared(raw) as object), config: THEME_CONFIG } as TopLevelSpec;
    cache.set(name, spec);
  }
  return structuredClone(spec);
}
