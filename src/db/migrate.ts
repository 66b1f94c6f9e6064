import { type Kysely, type MigrationResultSet, Migrator, NO_MIGRATIONS, sql } from "kysely";
import { migrations } from "../../migrations/index.ts";
import { ClgError } from "../errors.ts";

// biome-ignore lint/suspicious/noExplicitAny: the migrator works before and after any schema version
type AnyDb = Kysely<any>;

export interface MigrationOutcome {
  /** Names of the migrations that ran, in order. */
  applied: string[];
}

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one, so a database holding
 * other schemas with migrations (tests in random schemas, other apps) could fool it. Pin them to the
 * schema the connection's search_path resolves to.
 */
async function migrator(db: AnyDb): Promise<Migrator> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema ?? undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

function check(set: MigrationResultSet, verb: string): MigrationOutcome {
  const failed = set.results?.find((r) => r.status === "Error");
  if (set.error !== undefined || failed) {
    const cause = set.error;
    const reason = cause instanceof Error ? cause.message : String(cause ?? "unknown error");
    const name = failed?.migrationName ?? "(before any migration ran)";
    throw new ClgError("clg_internal", `Migration ${name} failed to ${verb}: ${reason}`, {
      hint: "Nothing of that migration was kept. Fix the cause and run `clg migrate` again.",
      cause,
    });
  }
  return { applied: (set.results ?? []).map((r) => r.migrationName) };
}

export async function migrateToLatest(db: AnyDb): Promise<MigrationOutcome> {
  return check(await (await migrator(db)).migrateToLatest(), "apply");
}

/** What a rollback would take away: the migrations it undoes and the tables and columns that hold rows. */
export interface RollbackPlan {
  migrations: string[];
  tables: { name: string; rows: number }[];
  columns: { table: string; column: string; rows: number }[];
}

export const rollbackLosesData = (plan: RollbackPlan): boolean =>
  plan.tables.some((t) => t.rows > 0) || plan.columns.length > 0;

/** "tables kpis (23 rows), samples (4,120 rows); columns sources.cursor (3 rows)" */
export function describeLoss(plan: RollbackPlan): string {
  const tables = plan.tables.filter((t) => t.rows > 0).map((t) => `${t.name} (${rowCount(t.rows)})`);
  const columns = plan.columns.map((c) => `${c.table}.${c.column} (${rowCount(c.rows)})`);
  return [
    ...(tables.length ? [`tables ${tables.join(", ")}`] : []),
    ...(columns.length ? [`columns ${columns.join(", ")}`] : []),
  ].join("; ");
}

const rowCount = (n: number) => `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"}`;

const ROLLBACKS = "clg_migration_rollbacks";
const BOOKKEEPING = ["kysely_migration", "kysely_migration_lock", ROLLBACKS];

async function columnsBySchema(db: AnyDb): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'`.execute(db);
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (BOOKKEEPING.includes(r.table_name)) continue;
    out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  }
  return out;
}

class PreviewDone extends Error {}

/**
 * Which migrations `steps` would undo and what they would drop. The `down` functions run inside a
 * transaction that is always rolled back (PostgreSQL's DDL is transactional), so the answer is exact
 * whatever a migration does, and nothing changes.
 */
export async function planRollback(db: AnyDb, steps: number | "all"): Promise<RollbackPlan> {
  const executed = (await (await migrator(db)).getMigrations())
    .filter((m) => m.executedAt !== undefined)
    .map((m) => m.name)
    .sort()
    .reverse();
  const undo = steps === "all" ? executed : executed.slice(0, steps);
  const before = await columnsBySchema(db);
  let after = before;
  try {
    await db.transaction().execute(async (trx) => {
      for (const name of undo) await migrations[name]?.down?.(trx);
      after = await columnsBySchema(trx);
      throw new PreviewDone();
    });
  } catch (e) {
    if (!(e instanceof PreviewDone)) throw e;
  }
  const plan: RollbackPlan = { migrations: undo, tables: [], columns: [] };
  for (const [table, cols] of before) {
    const kept = after.get(table);
    if (!kept) {
      plan.tables.push({ name: table, rows: await countRows(db, table) });
      continue;
    }
    const gone = cols.filter((c) => !kept.includes(c));
    if (gone.length === 0) continue;
    const rows = await countRows(db, table);
    if (rows > 0) for (const column of gone) plan.columns.push({ table, column, rows });
  }
  plan.tables.sort((a, b) => a.name.localeCompare(b.name));
  return plan;
}

async function countRows(db: AnyDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.id(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Rolls back `steps` migrations, or every one with "all". Each rollback is recorded (outside the
 * migrations' own tables, which it may drop), so the status can say why migrations are pending.
 */
export async function migrateDown(
  db: AnyDb,
  steps: number | "all",
  opts: { lost?: string; now?: Date } = {},
): Promise<MigrationOutcome> {
  const m = await migrator(db);
  let rolled: string[] = [];
  if (steps === "all") rolled = check(await m.migrateTo(NO_MIGRATIONS), "roll back").applied;
  else {
    for (let i = 0; i < steps; i++) {
      const out = check(await m.migrateDown(), "roll back");
      if (out.applied.length === 0) break;
      rolled.push(...out.applied);
    }
  }
  if (rolled.length > 0) {
    await sql`create table if not exists ${sql.id(ROLLBACKS)} (
      name text not null, rolled_back_at timestamptz not null, lost text not null)`.execute(db);
    const at = (opts.now ?? new Date()).toISOString();
    for (const name of rolled)
      await sql`insert into ${sql.id(ROLLBACKS)} (name, rolled_back_at, lost)
        values (${name}, ${at}, ${opts.lost ?? ""})`.execute(db);
  }
  return { applied: rolled };
}

/** The latest rollback of each migration, by name. */
export async function rollbacks(db: AnyDb): Promise<Map<string, { at: Date; lost: string }>> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.tables
    where table_schema = current_schema() and table_name = ${ROLLBACKS}`.execute(db);
  const out = new Map<string, { at: Date; lost: string }>();
  if (!rows[0]?.n) return out;
  const r = await sql<{ name: string; rolled_back_at: Date | string; lost: string }>`
    select name, rolled_back_at, lost from ${sql.id(ROLLBACKS)} order by rolled_back_at`.execute(db);
  for (const row of r.rows) out.set(row.name, { at: new Date(row.rolled_back_at), lost: row.lost });
  return out;
}

/** One line per fact: current, or which are pending and, for those rolled back, when and what went. */
export async function describeMigrationStatus(db: AnyDb): Promise<string> {
  const status = await migrationStatus(db);
  if (status.current) return "migrations: current";
  const back = await rollbacks(db);
  const lines = [`migrations pending: ${status.pending.join(", ")}`];
  for (const name of status.pending) {
    const r = back.get(name);
    if (r)
      lines.push(
        `  ${name} was rolled back on ${r.at.toISOString().replace("T", " ").slice(0, 16)} UTC${r.lost ? ` (lost: ${r.lost})` : ""}`,
      );
  }
  lines.push("Run `clg migrate` to apply them.");
  return lines.join("\n");
}

export async function migrationStatus(db: AnyDb): Promise<{ current: boolean; pending: string[] }> {
  const infos = await (await migrator(db)).getMigrations();
  const pending = infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
  return { current: pending.length === 0, pending };
}
