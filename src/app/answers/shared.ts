import { ClgError } from "../../errors.ts";
import { type KpiDefinition, type Status, shownStatus, statusKey } from "../../kpi/index.ts";
import { evaluationOf, type Snapshot } from "../snapshot.ts";
import type { WorkspaceCatalog } from "../workspace-catalog.ts";
import { kpiRow, type RowContext } from "./kpi-row.ts";

export function mustKpi(catalog: WorkspaceCatalog, slug: string): KpiDefinition {
  const def = catalog.bySlug.get(slug);
  if (!def) {
    throw new ClgError("clg_unknown_kpi", `No KPI "${slug}" in this workspace.`, {
      hint: "Type `list` to see every KPI.",
    });
  }
  return def;
}

function storedShown(snapshot: Snapshot, slug: string, window: string): Status | null {
  const stored = snapshot.states.get(statusKey(slug, window));
  return stored ? shownStatus(stored.state) : null;
}

export function rowFor(snapshot: Snapshot, def: KpiDefinition, window: string, locale: string): RowContext {
  return {
    storedStatus: storedShown(snapshot, def.slug, window),
    failure: snapshot.failures.get(def.slug) ?? null,
    pendingNeeded: def.flap.pending,
    locale,
  };
}

/** The row of a KPI in a window of a snapshot; null when the window was not evaluated. */
export function rowOf(snapshot: Snapshot, def: KpiDefinition, window: string, locale: string) {
  const e = evaluationOf(snapshot, def.slug, window);
  return e ? kpiRow(def, e, rowFor(snapshot, def, window, locale)) : null;
}

/** "Data through 2026-11-22 (UTC) · source demo failed 3 h ago" — where the numbers come from. */
export function asOfLine(snapshot: Snapshot, defs: readonly KpiDefinition[]): string {
  const parts = [`Data through ${snapshot.asOf} (${snapshot.catalog.timezone})`];
  const failing = new Set(defs.flatMap((d) => snapshot.failures.get(d.slug)?.source ?? []));
  for (const s of failing) parts.push(`source ${s} is failing: showing the last good data`);
  return parts.join(" · ");
}
