import { sql } from "kysely";
import type { Db } from "./db.ts";
import type { IncidentNoticeRow, IncidentRow, NoticeKind } from "./schema.ts";

export interface IncidentKey {
  kpi: string;
  window: string;
  segment: string;
}

const SEVERITY: Record<string, number> = { green: 0, amber: 1, red: 2 };

export async function findOpenIncident(
  db: Db,
  workspace: string,
  key: IncidentKey,
): Promise<IncidentRow | undefined> {
  return db
    .selectFrom("incidents")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("kpi", "=", key.kpi)
    .where("window", "=", key.window)
    .where("segment", "=", key.segment)
    .where("resolved_at", "is", null)
    .executeTakeFirst();
}

/**
 * Applies a confirmed change to the KPI's incident: a change away from green opens one (the partial
 * unique index keeps it to one open incident per KPI, window and segment), any change to an open one
 * counts up its `seq`, and green resolves it. Returns the incident as it is now, or null when the KPI was
 * green and stays without an incident.
 */
export async function recordIncidentChange(
  db: Db,
  workspace: string,
  key: IncidentKey,
  to: string,
  now: Date,
): Promise<IncidentRow | null> {
  const open = await findOpenIncident(db, workspace, key);
  if (!open) {
    if (to === "green") return null;
    const opened = await db
      .insertInto("incidents")
      .values({ workspace, ...key, status: to, worst: to, seq: 1, opened_at: now, updated_at: now })
      .onConflict((oc) =>
        oc.columns(["workspace", "kpi", "window", "segment"]).where("resolved_at", "is", null).doNothing(),
      )
      .returningAll()
      .executeTakeFirst();
    return opened ?? (await findOpenIncident(db, workspace, key)) ?? null;
  }
  if (open.status === to) return open;
  return db
    .updateTable("incidents")
    .set({
      status: to,
      worst: (SEVERITY[to] ?? 0) > (SEVERITY[open.worst] ?? 0) ? to : open.worst,
      seq: open.seq + 1,
      resolved_at: to === "green" ? now : null,
      updated_at: now,
    })
    .where("id", "=", open.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Open incidents, and those resolved at or after `resolvedSince` (so their recovery can still be told). */
export async function listIncidentsToTell(
  db: Db,
  workspace: string,
  resolvedSince: Date,
): Promise<IncidentRow[]> {
  return db
    .selectFrom("incidents")
    .selectAll()
    .where("workspace", "=", workspace)
    .where((eb) => eb.or([eb("resolved_at", "is", null), eb("resolved_at", ">=", resolvedSince)]))
    .orderBy("id")
    .execute();
}

export async function listIncidents(
  db: Db,
  workspace: string,
  ids?: readonly number[],
): Promise<IncidentRow[]> {
  let q = db.selectFrom("incidents").selectAll().where("workspace", "=", workspace);
  if (ids) {
    if (ids.length === 0) return [];
    q = q.where("id", "in", [...ids]);
  }
  return q.orderBy("id").execute();
}

/** The latest notice of each (incident, channel): what each channel was told last. */
export async function latestNotices(db: Db, incidentIds: readonly number[]): Promise<IncidentNoticeRow[]> {
  if (incidentIds.length === 0) return [];
  return db
    .selectFrom("incident_notices")
    .selectAll()
    .distinctOn(["incident_id", "platform", "channel"])
    .where("incident_id", "in", [...incidentIds])
    .orderBy("incident_id")
    .orderBy("platform")
    .orderBy("channel")
    .orderBy("seq", "desc")
    .execute();
}

export interface NoticeInput {
  incidentId: number;
  platform: string;
  channel: string;
  seq: number;
  status: string;
  kind: NoticeKind;
  deliveryKey: string;
  rootKey: string;
  message: unknown;
}

/**
 * Records that a channel is told an incident's change. The primary key (incident, channel, seq) decides:
 * false means that change was already told to that channel (another run, another replica).
 */
export async function insertNotice(db: Db, n: NoticeInput, now: Date): Promise<boolean> {
  const row = await db
    .insertInto("incident_notices")
    .values({
      incident_id: n.incidentId,
      platform: n.platform,
      channel: n.channel,
      seq: n.seq,
      status: n.status,
      kind: n.kind,
      delivery_key: n.deliveryKey,
      root_key: n.rootKey,
      message: n.message === null ? null : JSON.stringify(n.message),
      created_at: now,
    })
    .onConflict((oc) => oc.columns(["incident_id", "platform", "channel", "seq"]).doNothing())
    .returning("incident_id")
    .executeTakeFirst();
  return row !== undefined;
}

/** Every notice posted as the thread root `rootKey` (one per incident it carries). */
export async function noticesOfRoot(db: Db, rootKey: string): Promise<IncidentNoticeRow[]> {
  return db
    .selectFrom("incident_notices")
    .selectAll()
    .where("root_key", "=", rootKey)
    .orderBy("incident_id")
    .orderBy("seq")
    .execute();
}

/** The channels that were told about an incident, with the root of each one's thread. */
export async function channelsTold(db: Db, incidentId: number): Promise<IncidentNoticeRow[]> {
  return latestNotices(db, [incidentId]);
}

/** Records who acknowledged; returns the open incidents of the KPI it applied to. */
export async function acknowledgeIncidents(
  db: Db,
  workspace: string,
  kpi: string,
  by: string,
  now: Date,
): Promise<IncidentRow[]> {
  return db
    .updateTable("incidents")
    .set({ acked_by: by, acked_at: now, updated_at: now })
    .where("workspace", "=", workspace)
    .where("kpi", "=", kpi)
    .where("resolved_at", "is", null)
    .returningAll()
    .execute();
}

/** Records a snooze on the KPI's open incidents (the mute itself lives in `mutes`). */
export async function snoozeIncidents(
  db: Db,
  workspace: string,
  kpi: string,
  snooze: { by: string; until: Date },
  now: Date,
): Promise<IncidentRow[]> {
  return db
    .updateTable("incidents")
    .set({ snoozed_by: snooze.by, snoozed_until: snooze.until, updated_at: now })
    .where("workspace", "=", workspace)
    .where("kpi", "=", kpi)
    .where("resolved_at", "is", null)
    .returningAll()
    .execute();
}

export async function countOpenIncidents(db: Db, workspace?: string): Promise<number> {
  let q = db
    .selectFrom("incidents")
    .select(sql<number>`count(*)::int`.as("n"))
    .where("resolved_at", "is", null);
  if (workspace !== undefined) q = q.where("workspace", "=", workspace);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}
