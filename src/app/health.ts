import { sql } from "kysely";
import type { Db } from "../db/db.ts";
import { migrationStatus } from "../db/migrate.ts";

export interface HealthReport {
  ok: boolean;
  checks: { database: "reachable" | "unreachable"; migrations: "current" | "pending" | "unknown" };
  detail?: string;
}

/** Whether the service can do its work: the database answers and its schema is current. */
export async function checkHealth(db: Db): Promise<HealthReport> {
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    return {
      ok: false,
      checks: { database: "unreachable", migrations: "unknown" },
      detail: e instanceof Error ? e.message : String(e),
    };
  }
  const status = await migrationStatus(db);
  return {
    ok: status.current,
    checks: { database: "reachable", migrations: status.current ? "current" : "pending" },
    ...(status.current ? {} : { detail: `pending: ${status.pending.join(", ")}` }),
  };
}
