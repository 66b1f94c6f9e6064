import { createHash } from "node:crypto";
import type { Db } from "../db/db.ts";
import { latestNotices, listIncidents, noticesOfRoot } from "../db/incidents-repository.ts";
import type { IncidentRow } from "../db/schema.ts";
import type { Message } from "../messages/message.ts";
import { enqueueAlert } from "./alert-delivery.ts";
import { composeRootUpdate, incidentStateText } from "./answers/alert-message.ts";
import type { WorkspaceCatalog } from "./workspace-catalog.ts";

/** A short stable digest of what a delivery carries, so the same content always gets the same key. */
export function contentKey(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 20);
}

/**
 * Edits the alert that opened a thread so its header says where each of its incidents stands ("resolved
 * after 3 days", "acknowledged by dana"). `reason` makes the key: one edit per reason and root.
 */
export async function updateRoot(
  db: Db,
  catalog: WorkspaceCatalog,
  root: { key: string; platform: string; channel: string },
  reason: string,
  now: Date,
): Promise<boolean> {
  const notices = (await noticesOfRoot(db, root.key)).filter((n) => n.kind === "post" && n.message !== null);
  const message = notices[0]?.message as Message | undefined;
  if (!message) return false;
  const incidents = await listIncidents(db, catalog.workspace, [
    ...new Set(notices.map((n) => n.incident_id)),
  ]);
  const states = incidents.map((i) => ({
    name: catalog.bySlug.get(i.kpi)?.name ?? i.kpi,
    text: incidentStateText(i, now),
  }));
  return enqueueAlert(db, {
    key: `update:${root.key}:${contentKey([reason, ...states.map((s) => `${s.name}|${s.text}`)])}`,
    kind: "update",
    parentKey: root.key,
    workspace: catalog.workspace,
    platform: root.platform,
    channel: root.channel,
    message: composeRootUpdate(message, states),
    now,
  });
}

/** After an acknowledge or a snooze: every channel told about these incidents sees it on its alert. */
export async function updateToldChannels(
  db: Db,
  catalog: WorkspaceCatalog,
  incidents: readonly IncidentRow[],
  reason: string,
  now: Date,
): Promise<number> {
  const notices = await latestNotices(
    db,
    incidents.map((i) => i.id),
  );
  const roots = new Map(
    notices.map((n) => [n.root_key, { key: n.root_key, platform: n.platform, channel: n.channel }]),
  );
  let queued = 0;
  for (const root of roots.values()) if (await updateRoot(db, catalog, root, reason, now)) queued++;
  return queued;
}
