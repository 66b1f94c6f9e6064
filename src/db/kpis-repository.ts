import type { z } from "zod";
import { ClgError } from "../errors.ts";
import { type KpiDefinition, kpiDefinitionSchema } from "../kpi/definition.ts";
import { numberProblem } from "../number-range.ts";
import { chunks } from "./chunks.ts";
import type { Db } from "./db.ts";
import type { KpiRow, TargetRow, ThresholdRow } from "./schema.ts";

/** A stored KPI that cannot be read (a hand-written row, an older version): shown, never evaluated. */
export interface UnreadableKpi {
  slug: string;
  name: string;
  stage: string;
  /** What is wrong, in words: "its red threshold is Infinity, which is not a finite number". */
  problem: string;
}

export interface StoredKpis {
  kpis: KpiDefinition[];
  unreadable: UnreadableKpi[];
}

/** The first issue zod found, as "field: message". */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "definition"}: ${issue.message}` : "not valid";
}

/** The definition, or what makes the rows unreadable. Thresholds and targets are checked one by one. */
function toDefinition(
  row: KpiRow,
  thresholds: readonly ThresholdRow[],
  targets: readonly TargetRow[],
): KpiDefinition | string {
  for (const t of thresholds) {
    const problem = numberProblem(Number(t.value));
    if (problem !== null) return `its ${t.status} threshold (${t.op} ${t.value}) ${problem}`;
  }
  for (const t of targets) {
    const problem = numberProblem(Number(t.value));
    if (problem !== null) return `its ${t.period} target (${t.value}) ${problem}`;
  }
  const rules = thresholds.map((t) => ({
    status: t.status,
    [t.op]: Number(t.value),
    ...(t.window !== null ? { window: t.window } : {}),
  }));
  const goals = targets.map((t) => ({
    period: t.period,
    value: Number(t.value),
    ...(t.from_day !== null ? { from: t.from_day } : {}),
  }));
  const definition = row.definition;
  if (typeof definition !== "object" || definition === null || Array.isArray(definition))
    return "its stored definition is not a JSON object";
  // Parsing again fills defaults added since the row was written.
  const parsed = kpiDefinitionSchema.safeParse({ ...definition, thresholds: rules, targets: goals });
  return parsed.success ? parsed.data : `its stored definition is not valid (${firstIssue(parsed.error)})`;
}

async function load(db: Db, workspace: string, slug?: string): Promise<StoredKpis> {
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
  const out: StoredKpis = { kpis: [], unreadable: [] };
  for (const k of kpis) {
    const def = toDefinition(k, th.get(k.slug) ?? [], tg.get(k.slug) ?? []);
    if (typeof def === "string")
      out.unreadable.push({ slug: k.slug, name: k.name, stage: k.stage, problem: def });
    else out.kpis.push(def);
  }
  return out;
}

/**
 * The workspace's KPIs in catalog order, thresholds and targets included, and apart from them the rows
 * that cannot be read: one bad row degrades its own KPI, never the whole workspace.
 */
export function readStoredKpis(db: Db, workspace: string): Promise<StoredKpis> {
  return load(db, workspace);
}

/** The workspace's readable KPI definitions in catalog order, thresholds and targets included. */
export async function listKpiDefinitions(db: Db, workspace: string): Promise<KpiDefinition[]> {
  return (await load(db, workspace)).kpis;
}

/** Says in words why a stored KPI cannot be used, and how to repair it. */
export function unreadableKpiError(k: UnreadableKpi): ClgError {
  return new ClgError(
    "clg_kpi_unreadable",
    `${k.name} (${k.slug}) cannot be read from the database: ${k.problem}.`,
    {
      hint: "Apply the catalog again (clg catalog apply) to rewrite it; the other KPIs keep working.",
    },
  );
}

/** One KPI, or undefined when there is none; a stored row that cannot be read is an error naming it. */
export async function getKpiDefinition(
  db: Db,
  workspace: string,
  slug: string,
): Promise<KpiDefinition | undefined> {
  const { kpis, unreadable } = await load(db, workspace, slug);
  if (unreadable[0]) throw unreadableKpiError(unreadable[0]);
  return kpis[0];
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
export function saveKpiDefinition(
  db: Db,
  workspace: string,
  def: KpiDefinition,
  position: number,
  now: Date,
): Promise<void> {
  return saveKpiDefinitions(db, workspace, [{ def, position }], now);
}

/** The last guard before the rows: a stored Infinity would make the KPI unreadable on every load. */
function checkNumbers(def: KpiDefinition): void {
  for (const [what, n] of [
    ...def.thresholds.map((t) => [`a ${t.status} threshold`, t.below ?? t.above] as const),
    ...def.targets.map((t) => [`the ${t.period} target`, t.value] as const),
  ]) {
    const problem = numberProblem(n ?? Number.NaN);
    if (problem !== null)
      throw new ClgError("clg_catalog_invalid", `${def.slug}: ${what} (${n}) ${problem}; nothing was saved.`);
  }
}

/**
 * Writes KPIs: their definition rows, then their thresholds and targets replaced as a whole. Many KPIs
 * (a catalog of thousands) go in a few multi-row statements, each under PostgreSQL's parameter limit.
 */
export async function saveKpiDefinitions(
  db: Db,
  workspace: string,
  items: readonly { def: KpiDefinition; position: number }[],
  now: Date,
): Promise<void> {
  for (const { def } of items) checkNumbers(def);
  const rows = items.map(({ def, position }) => {
    const { thresholds: _t, targets: _g, ...rest } = def;
    return {
      workspace,
      slug: def.slug,
      name: def.name,
      stage: def.stage,
      source: def.source ?? null,
      definition: JSON.stringify(rest),
      position,
      updated_at: now,
    };
  });
  for (const slice of chunks(rows, 8)) {
    await db
      .insertInto("kpis")
      .values(slice)
      .onConflict((oc) =>
        oc.columns(["workspace", "slug"]).doUpdateSet((eb) => ({
          name: eb.ref("excluded.name"),
          stage: eb.ref("excluded.stage"),
          source: eb.ref("excluded.source"),
          definition: eb.ref("excluded.definition"),
          position: eb.ref("excluded.position"),
          updated_at: eb.ref("excluded.updated_at"),
        })),
      )
      .execute();
  }
  for (const slice of chunks(
    items.map((i) => i.def.slug),
    1,
  )) {
    await db.deleteFrom("thresholds").where("workspace", "=", workspace).where("kpi", "in", slice).execute();
    await db.deleteFrom("targets").where("workspace", "=", workspace).where("kpi", "in", slice).execute();
  }
  const thresholds = items.flatMap(({ def }) =>
    def.thresholds.map((t, i) => ({
      workspace,
      kpi: def.slug,
      position: i,
      status: t.status,
      op: t.below !== undefined ? ("below" as const) : ("above" as const),
      value: (t.below ?? t.above) as number,
      window: t.window ?? null,
    })),
  );
  for (const slice of chunks(thresholds, 7)) await db.insertInto("thresholds").values(slice).execute();
  const targets = items.flatMap(({ def }) =>
    def.targets.map((t, i) => ({
      workspace,
      kpi: def.slug,
      position: i,
      period: t.period,
      value: t.value,
      from_day: t.from ?? null,
    })),
  );
  for (const slice of chunks(targets, 6)) await db.insertInto("targets").values(slice).execute();
}

/** Deletes a KPI with its thresholds and targets (samples stay, so history survives a re-add). */
export async function deleteKpi(db: Db, workspace: string, slug: string): Promise<void> {
  await db.deleteFrom("kpis").where("workspace", "=", workspace).where("slug", "=", slug).execute();
  await db.deleteFrom("kpi_status").where("workspace", "=", workspace).where("kpi", "=", slug).execute();
  await db.deleteFrom("kpi_watermarks").where("workspace", "=", workspace).where("kpi", "=", slug).execute();
}
