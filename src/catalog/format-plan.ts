import type { CatalogPlan, PlanItem } from "./catalog-plan.ts";

const SIGN = { create: "+", update: "~", delete: "-", unchanged: "=", kept: "!" } as const;

function show(v: unknown): string {
  if (v === undefined) return "(none)";
  const s = typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 197)}...` : s;
}

function itemLines(item: PlanItem): string[] {
  const lines = [`  ${SIGN[item.action]} ${item.entity} ${item.key}`];
  for (const c of item.changes) lines.push(`      ${c.field}: ${show(c.before)} -> ${show(c.after)}`);
  return lines;
}

/** The plan as text for the CLI: one line per change, field diffs under updates, totals at the end. */
export function formatPlan(plan: CatalogPlan): string {
  const head = plan.dryRun
    ? `Catalog plan for workspace ${plan.workspace} (dry run: nothing was written)`
    : `Catalog applied to workspace ${plan.workspace}`;
  const lines = [head];
  for (const item of plan.items)
    if (item.action !== "unchanged" && item.action !== "kept") lines.push(...itemLines(item));
  const kept = plan.items.filter((i) => i.action === "kept");
  if (kept.length > 0) {
    lines.push("  Not in the file, kept (use --prune to delete):");
    for (const k of kept) lines.push(`    ${k.entity} ${k.key}`);
  }
  const c = plan.counts;
  const verb = plan.dryRun ? ["to create", "to update", "to delete"] : ["created", "updated", "deleted"];
  lines.push(
    `${c.create} ${verb[0]}, ${c.update} ${verb[1]}, ${c.delete} ${verb[2]}, ${c.unchanged} unchanged.`,
  );
  if (c.create + c.update + c.delete === 0) lines.push("The database already matches the catalog.");
  return lines.join("\n");
}
