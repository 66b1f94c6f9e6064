export type PlanEntity = "workspace" | "source" | "kpi" | "subscription";
/** kept: in the database but not in the file, left alone because `prune` was off. */
export type PlanAction = "create" | "update" | "delete" | "unchanged" | "kept";

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PlanItem {
  entity: PlanEntity;
  key: string;
  action: PlanAction;
  /** For updates: the fields that differ. */
  changes: FieldChange[];
  before: unknown;
  after: unknown;
}

export interface CatalogPlan {
  workspace: string;
  dryRun: boolean;
  prune: boolean;
  items: PlanItem[];
  counts: Record<PlanAction, number>;
}

/** JSON with sorted object keys, so equal values compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}

/** Field-by-field differences between two records (top-level keys). */
export function diffFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const order = Object.keys(after);
  keys.sort((a, b) => rank(order, a) - rank(order, b));
  return keys
    .filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

function rank(order: string[], k: string): number {
  const i = order.indexOf(k);
  return i === -1 ? order.length : i;
}

export function countActions(items: readonly PlanItem[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { create: 0, update: 0, delete: 0, unchanged: 0, kept: 0 };
  for (const i of items) counts[i.action]++;
  return counts;
}

/** True when applying the plan would write something. */
export function planHasChanges(plan: CatalogPlan): boolean {
  return plan.counts.create + plan.counts.update + plan.counts.delete > 0;
}
