import { closest } from "fastest-levenshtein";
import { ClgError } from "../errors.ts";
import type { KpiDefinition } from "./definition.ts";
import { formulaRefs, parseFormula } from "./formula.ts";

export interface FormulaIssue {
  /** Where in the catalog, e.g. `kpis[4].aggregation.expression`. */
  path: string;
  message: string;
}

type Def = Pick<KpiDefinition, "slug" | "aggregation">;

/** Cycles among formula KPIs, each as the slugs walked, ending where it began (arr -> mrr -> arr). */
function findCycles(defs: readonly Def[]): string[][] {
  const edges = new Map(defs.map((d) => [d.slug, formulaRefs(d)]));
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (slug: string): void => {
    state.set(slug, "open");
    stack.push(slug);
    for (const next of edges.get(slug) ?? []) {
      if (!edges.has(next)) continue;
      const s = state.get(next);
      if (s === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(slug, "done");
  };
  for (const d of defs) if (!state.has(d.slug)) visit(d.slug);
  return cycles;
}

/**
 * Problems with the catalog's formulas: unreadable expressions, unknown KPI references (with the closest
 * slug) and cycles. Empty when all is well.
 */
export function validateFormulas(defs: readonly Def[]): FormulaIssue[] {
  const issues: FormulaIssue[] = [];
  const slugs = defs.map((d) => d.slug);
  const known = new Set(slugs);
  const pathOf = (i: number) => `kpis[${i}].aggregation.expression`;
  defs.forEach((d, i) => {
    if (d.aggregation.kind !== "formula") return;
    let refs: string[];
    try {
      refs = parseFormula(d.aggregation.expression).refs;
    } catch (e) {
      issues.push({ path: pathOf(i), message: (e as Error).message });
      return;
    }
    for (const ref of refs) {
      if (known.has(ref)) continue;
      const near = slugs.length > 0 ? closest(ref, slugs) : undefined;
      const hint = near ? ` (did you mean "${near}"?)` : "";
      issues.push({
        path: pathOf(i),
        message: `${d.slug}: the formula uses "${ref}", which is not a KPI in the catalog${hint}`,
      });
    }
  });
  for (const cycle of findCycles(defs)) {
    const first = cycle[0] as string;
    issues.push({
      path: pathOf(slugs.indexOf(first)),
      message: `formula cycle: ${cycle.join(" -> ")} (a KPI cannot depend on itself)`,
    });
  }
  return issues;
}

/**
 * Definitions ordered so every formula KPI comes after the KPIs it reads (catalog order otherwise kept).
 * Throws ClgError when the formulas form a cycle.
 */
export function evaluationOrder<T extends Def>(defs: readonly T[]): T[] {
  const cycles = findCycles(defs);
  if (cycles[0]) {
    throw new ClgError("clg_catalog_invalid", `The formulas form a cycle: ${cycles[0].join(" -> ")}.`, {
      hint: "Change one of these formulas so it no longer reads the others.",
    });
  }
  const bySlug = new Map(defs.map((d) => [d.slug, d]));
  const placed = new Set<string>();
  const out: T[] = [];
  const place = (d: T): void => {
    if (placed.has(d.slug)) return;
    placed.add(d.slug);
    for (const ref of formulaRefs(d)) {
      const input = bySlug.get(ref);
      if (input) place(input);
    }
    out.push(d);
  };
  for (const d of defs) place(d);
  return out;
}
