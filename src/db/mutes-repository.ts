import type { Db } from "./db.ts";
import type { MuteRow } from "./schema.ts";

export async function addMute(
  db: Db,
  workspace: string,
  mute: { kpi: string; until: Date; createdBy: string },
): Promise<MuteRow> {
  return db
    .insertInto("mutes")
    .values({ workspace, kpi: mute.kpi, until: mute.until, created_by: mute.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Mutes still in force at `now`, the latest end per KPI first. */
export async function activeMutes(db: Db, workspace: string, now: Date): Promise<MuteRow[]> {
  return db
    .selectFrom("mutes")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("until", ">", now)
    .orderBy("kpi")
    .orderBy("until", "desc")
    .execute();
}

export async function isMuted(db: Db, workspace: string, kpi: string, now: Date): Promise<boolean> {
  const row = await db
    .selectFrom("mutes")
    .select("id")
    .where("workspace", "=", workspace)
    .where("kpi", "=", kpi)
    .where("until", ">", now)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ends every mute of a KPI; returns how many were in the table. */
export async function removeMutes(db: Db, workspace: string, kpi: string): Promise<number> {
  const r = await db
    .deleteFrom("mutes")
    .where("workspace", "=", workspace)
    .where("kpi", "=", kpi)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
