import { unreadableKpiError } from "../../db/kpis-repository.ts";
import { ClgError } from "../../errors.ts";
import { defaultWindow, type KpiDefinition, type Status, shownStatus, statusKey } from "../../kpi/index.ts";
import { evaluationOf, type Snapshot } from "../snapshot.ts";
import type { WorkspaceCatalog } from "../workspace-catalog.ts";
import { kpiRow, type RowContext } from "./kpi-row.ts";

export function mustKpi(catalog: WorkspaceCatalog, slug: string): KpiDefinition {
  const def = catalog.bySlug.get(slug);
  const unreadable = catalog.unreadable.find((k) => k.slug === slug);
  if (!def && unreadable) throw unreadableKpiError(unreadable);
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

/**
 * A window the KPI does not list is refused when its thresholds are set per window: its status there
 * would be made up (no rule) and its value compared with nothing it was defined for, unless the KPI has
 * a target for that period. Other KPIs answer any window, with the rules that apply to all windows.
 */
export function mustWindow(def: KpiDefinition, window: string): void {
  if (def.windows.includes(window) || !def.thresholds.some((r) => r.window !== undefined)) return;
  // A period the KPI has a target for is answered against that target (weekly goals, quarterly targets).
  if (def.targets.some((t) => t.period === window)) return;
  throw new ClgError(
    "clg_bad_window",
    `${def.name} is defined for ${def.windows.join(", ")}, not ${window}: its thresholds are set per window.`,
    {
      hint: `Try \`${def.slug} ${defaultWindow(def)}\`.`,
      suggestions: def.windows.map((w) => `${def.slug} ${w}`),
    },
  );
}

/** A line naming each stored KPI that cannot be read (of a stage, when given), so it is not silently missing. */
export function unreadableNotice(
  catalog: WorkspaceCatalog,
  only?: (k: { slug: string; stage: string }) => boolean,
) {
  const shown = catalog.unreadable.filter((k) => only?.(k) ?? true);
  if (shown.length === 0) return [];
  const list = shown.map((k) => `${k.name} (${k.slug}): ${k.problem}`).join("; ");
  return [
    {
      type: "context" as const,
      text: `Left out because their stored definition cannot be read: ${list}. Apply the catalog again (clg catalog apply) to repair them.`,
    },
  ];
}
