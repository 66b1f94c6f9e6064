import type { Db } from "./db.ts";

/**
 * Claims one scheduled slot of a job. Exactly one caller across all replicas gets `true`; the others see
 * the existing row and get `false`.
 */
export async function claimScheduleRun(
  db: Db,
  run: { job: string; slot: Date; claimedBy: string; now?: Date },
): Promise<boolean> {
  const row = await db
    .insertInto("schedule_runs")
    .values({
      job: run.job,
      slot: run.slot,
      claimed_by: run.claimedBy,
      ...(run.now ? { claimed_at: run.now } : {}),
    })
    .onConflict((oc) => oc.columns(["job", "slot"]).doNothing())
    .returning("job")
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets claims older than `before` (the table only needs recent slots). */
export async function pruneScheduleRuns(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom("schedule_runs").where("slot", "<", before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
