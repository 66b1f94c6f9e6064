import type { KpiDefinition } from "./definition.ts";
import { createEvaluationCache, type Evaluation, evaluateKpi } from "./evaluate.ts";
import { evaluationOrder, formulaRefs } from "./formula.ts";
import type { SeriesIndex } from "./series-index.ts";
import type { StoredStatus } from "./status-machine.ts";
import { createValueSource } from "./value-source.ts";

export interface CatalogEvaluationInput {
  defs: readonly KpiDefinition[];
  /** One index per KPI slug (the whole, segment ""); formula KPIs need none. */
  indexes: ReadonlyMap<string, SeriesIndex>;
  /** Remembered states, keyed by statusKey(slug, window). */
  states?: ReadonlyMap<string, StoredStatus>;
  asOf: string;
  /**
   * The last complete day per KPI slug, where its source's data is final earlier than `asOf` (GA4 and
   * Mixpanel finish a day hours later). A formula reads its inputs as of the earliest of theirs.
   */
  asOfByKpi?: ReadonlyMap<string, string>;
  timezone: string;
  now: Date;
  /** Slugs of KPIs whose source failed on the last poll. */
  sourceErrors?: ReadonlySet<string>;
  /** Evaluate only these windows (each KPI's own `windows` otherwise). */
  windows?: readonly string[];
}

export function statusKey(slug: string, window: string): string {
  return `${slug}|${window}`;
}

/**
 * Evaluate every KPI in every window, formula KPIs after the KPIs they read; a formula inherits a source
 * error from any input. Throws ClgError when formulas form a cycle (validate the catalog first).
 */
export function evaluateCatalog(input: CatalogEvaluationInput): Evaluation[] {
  const ordered = evaluationOrder(input.defs);
  const values = createValueSource(new Map(ordered.map((d) => [d.slug, d])), input.indexes);
  const failed = new Set(input.sourceErrors ?? []);
  const out: Evaluation[] = [];
  const asOf = new Map(input.asOfByKpi ?? []);
  for (const def of ordered) {
    if (formulaRefs(def).some((ref) => failed.has(ref))) failed.add(def.slug);
    for (const ref of formulaRefs(def)) {
      const day = asOf.get(ref);
      if (day !== undefined && day < (asOf.get(def.slug) ?? input.asOf)) asOf.set(def.slug, day);
    }
    const kpiAsOf = asOf.get(def.slug) ?? input.asOf;
    const formula = def.aggregation.kind === "formula";
    const index = input.indexes.get(def.slug);
    const cache = createEvaluationCache();
    for (const window of input.windows ?? def.windows) {
      out.push(
        evaluateKpi({
          def,
          window,
          ...(formula ? { values } : index ? { index } : {}),
          stored: input.states?.get(statusKey(def.slug, window)) ?? null,
          asOf: kpiAsOf < input.asOf ? kpiAsOf : input.asOf,
          timezone: input.timezone,
          now: input.now,
          sourceError: failed.has(def.slug),
          cache,
        }),
      );
    }
  }
  return out;
}
