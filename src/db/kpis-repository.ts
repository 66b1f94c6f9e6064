import { ClgError } from "../errors.ts";
import {
  type KpiDefinition,
  kpiDefinitionSchema,
  type Target,
  type ThresholdRule,
} from "../kpi/definition.ts";
import { numberProblem } from "../number-range.ts";
import type { Db } from "./db.ts";
import type { KpiRow, TargetRow, ThresholdRow } from "./schema.ts";

function toDefinition(
  row: KpiRow,
  thresholds: readonly ThresholdRow[],
  targets: readonly TargetRow[],
): KpiDefinition {
  const rules: ThresholdRule[] = thresholds.map((t) => ({
    status: t.status as ThresholdRule["status"],
    [t.op]: t.value,
    ...(t.window !== null ? { window: t.window } : {}),
  }));
  const goals: Target[] = targets.map((t) => ({
    period: t.period as Target["period"],
    value: t.value,
    ...(t.from_day !== null ? { from: t.from_day } : {}),
  }));
  // Parsing again fills defaults added since the row was written.
  return kpiDefinitionSchema.parse({ ...row.definition, thresholds: rules, targets: goals });
}

async function load(db: Db, workspace: string, slug?: string): Promise<KpiDefinition[]> {
  let kq = db.selectFrom("kpis").selectAll().where("workspace", "=", workspace);
  let hq = db.selectFrom("thresholds").selectAll().where("workspace", "=", workspace);
  let tq = db.selectFrom("targets").selectAll().where("workspace", "=", workspace);
  if (slug !== undefined) {
    kq = kq.where("slug", "=", slug);
    hq = hq.where("kpi", "=", slug);
    tq = tq.where("kpi", "=", slug);
  }
  const [kpis, thresholds, targets] = [
    await kq.orderBy("position").orderBy("slug").execute(),
    await hq.orderBy("kpi").orderBy("position").execute(),
    await tq.orderBy("kpi").orderBy("position").execute(),
  ];
  const group = <T extends { kpi: string }>(rows: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) m.set(r.kpi, [...(m.get(r.kpi) ?? []), r]);
    return m;
  };
  const th = group(thresholds);
  const tg = group(targets);
  return kpis.map((k) => toDefinition(k, th.get(k.slug) ?? [], tg.get(k.slug) ?? []));
}

/** The workspace's KPI definitions in catalog order, thresholds and targets included. */
export function listKpiDefinitions(db: Db, workspace: string): Promise<KpiDefinition[]> {
  return load(db, workspace);
}

export async function getKpiDefinition(
  db: Db,
  workspace: string,
  slug: string,
): Promise<KpiDefinition | undefined> {
  return (await load(db, workspace, slug))[0];
}

/** Positions by slug, for keeping catalog order. */
export async function kpiPositions(db: Db, workspace: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("kpis")
    .select(["slug", "position"])
    .where("workspace", "=", workspace)
    .execute();
  return new Map(rows.map((r) => [r.slug, r.position]));
}

/** Writes one KPI: the definition row, then its thresholds and targets replaced as a whole. */
export async function saveKpiDefinition(
  db: Db,
  workspace: string,
  def: KpiDefinition,
  position: number,
  now: Date,
): Promise<void> {
  const { thresholds, targets, ...rest } = def;
  for (const [what, n] of [
    ...thresholds.map((t) => [`a ${t.status} threshold`, t.below ?? t.above] as const),
    ...targets.map((t) => [`the ${t.period} target`, t.value] as const),
  ]) {
    const problem = numberProblem(n ?? Number.NaN);
    // The last guard before the row: a stored Infinity would make the KPI unreadable on every load.
    if (problem !== null)
      throw new ClgError("clg_catalog_invalid", `${def.slug}: ${what} (${n}) ${problem}; nothing was saved.`);
  }
  const row = {
    name: def.name,
    stage: def.stage,
    source: def.source ?? null,
    definition: JSON.stringify(rest),
    position,
    updated_at: now,
  };
  await db
    .insertInto("kpis")
    .values({ workspace, slug: def.slug, ...row })
    .onConflict((oc) => oc.columns(["workspace", "slug"]).doUpdateSet(row))
    .execute();
  await db.deleteFrom("thresholds").where("workspace", "=", workspace).where("kpi", "=", def.slug).execute();
  await db.deleteFrom("targets").where("workspace", "=", workspace).where("kpi", "=", def.slug).execute();
  if (thresholds.length > 0) {
    await db
      .insertInto("thresholds")
      .values(
        thresholds.map((t, i) => ({
          workspace,
          kpi: def.slug,
          position: i,
          status: t.status,
          op: t.below !== undefined ? ("below" as const) : ("above" as const),
          value: (t.below ?? t.above) as number,
          window: t.window ?? null,
        })),
      )
      .execute();
  }
  if (targets.length > 0) {
    await db
      .insertInto("targets")
      .values(
        targets.map((t, i) => ({
          workspace,
          kpi: def.slug,
          position: i,
          period: t.period,
          value: t.value,
          from_day: t.from ?? null,
        })),
      )
      .execute();
  }
}

/** Deletes a KPI with its thresholds and targets (samples stay, so history survives a re-add). */
export async function deleteKpi(db: Db, workspace: string, slug: string): Promise<void> {
  await db.deleteFrom("kpis").where("workspace", "=", workspace).where("slug", "=", slug).execute();
  await db.deleteFrom("kpi_status").where("workspace", "=", workspace).where("kpi", "=", slug).execute();
}
