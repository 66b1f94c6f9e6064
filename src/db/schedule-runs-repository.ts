import type { Db } from "./db.ts";

/**
 * Claims one scheduled slot of a job (takes a transaction, so the claim commits with what it produced). Exactly one caller across all replicas gets `true`; the others see
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

/** Whether a slot was already claimed (by any replica): lets a replica skip composing what it cannot claim. */
export async function scheduleRunExists(db: Db, run: { job: string; slot: Date }): Promise<boolean> {
  const row = await db
    .selectFrom("schedule_runs")
    .select("job")
    .where("job", "=", run.job)
    .where("slot", "=", run.slot)
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets claims made before `before` (the table only needs the catch-up window). */
export async function pruneScheduleRuns(db: Db, before: Date): Promise<number> {
  const r = await db.deleteFrom("schedule_runs").where("claimed_at", "<", before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
