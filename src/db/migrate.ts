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

/** Rolls back `steps` migrations, or every one with "all". */
export async function migrateDown(db: AnyDb, steps: number | "all"): Promise<MigrationOutcome> {
  const m = await migrator(db);
  if (steps === "all") return check(await m.migrateTo(NO_MIGRATIONS), "roll back");
  const rolled: string[] = [];
  for (let i = 0; i < steps; i++) {
    const out = check(await m.migrateDown(), "roll back");
    if (out.applied.length === 0) break;
    rolled.push(...out.applied);
  }
  return { applied: rolled };
}

export async function migrationStatus(db: AnyDb): Promise<{ current: boolean; pending: string[] }> {
  const infos = await (await migrator(db)).getMigrations();
  const pending = infos.filter((m) => m.executedAt === undefined).map((m) => m.name);
  return { current: pending.length === 0, pending };
}
