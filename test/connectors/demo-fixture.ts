import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { type Catalog, catalogSchema, type SourceDefinition } from "../../src/catalog/catalog-schema.ts";
import { pollDemo } from "../../src/connectors/demo/index.ts";
import type { KpiDefinition } from "../../src/kpi/definition.ts";
import type { Sample } from "../../src/kpi/sample.ts";

export const catalog: Catalog = catalogSchema.parse(parse(readFileSync("catalog/default.yaml", "utf8")));

export const ANCHOR = "2026-11-23";

export function demoSource(config: Record<string, unknown> = {}): SourceDefinition {
  const source = catalog.sources.find((s) => s.kind === "demo");
  if (!source) throw new Error("the default catalog has no demo source");
  return { ...source, config: { ...source.config, ...config } };
}

export function kpi(slug: string): KpiDefinition {
  const found = catalog.kpis.find((k) => k.slug === slug);
  if (!found) throw new Error(`no KPI ${slug} in the default catalog`);
  return found;
}

export const sourcedKpis = catalog.kpis.filter((k) => k.source === "demo");

export function poll(
  kpis: readonly KpiDefinition[],
  since: string,
  until: string,
  config: Record<string, unknown> = {},
): Promise<Sample[]> {
  return pollDemo({ source: demoSource(config), kpis, since, until });
}

/** The whole default history up to ANCHOR, polled once and shared by the read-only tests. */
export const history: Promise<Sample[]> = poll(sourcedKpis, "2000-01-01", ANCHOR);

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** sum(num) / sum(den) x 100 over [from, to]; with `first`, the denominator is the first day's. */
export function rate(
  samples: Sample[],
  slug: string,
  segment: string,
  from: string,
  to: string,
  first = false,
) {
  const rows = samples
    .filter((s) => s.kpi === slug && s.segment === segment && s.day >= from && s.day <= to)
    .sort((a, b) => (a.day < b.day ? -1 : 1));
  const num = rows.reduce((acc, s) => acc + (s.num ?? 0), 0);
  const den = first ? (rows[0]?.den ?? 0) : rows.reduce((acc, s) => acc + (s.den ?? 0), 0);
  return (num / den) * 100;
}
