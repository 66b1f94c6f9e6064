import { writeAudit } from "../../db/audit-log-repository.ts";
import type { Db } from "../../db/db.ts";
import { acknowledgeIncidents, snoozeIncidents } from "../../db/incidents-repository.ts";
import { STATUS_LABEL, type Status } from "../../kpi/index.ts";
import type { Message } from "../../messages/message.ts";
import { updateToldChannels } from "../incident-updates.ts";
import type { WorkspaceCatalog } from "../workspace-catalog.ts";
import type { AnswerDeps, Asker } from "./answer-context.ts";
import { mustKpi } from "./shared.ts";

/** `/clg ack churn`: records who is on the KPI's open alert and shows it on the alert in every channel. */
export async function answerAck(deps: AnswerDeps, asker: Asker, cmd: { kpi: string }): Promise<Message> {
  const def = mustKpi(deps.catalog, cmd.kpi);
  const now = deps.clock.now();
  const incidents = await deps.db.transaction().execute(async (trx) => {
    const acked = await acknowledgeIncidents(trx, asker.workspace, def.slug, asker.user, now);
    if (acked.length === 0) return acked;
    await writeAudit(trx, asker.workspace, [
      {
        actor: asker.user,
        action: "acknowledge",
        entity: "incident",
        entityKey: def.slug,
        before: null,
        after: { incidents: acked.map((i) => i.id) },
        at: now,
      },
    ]);
    await updateToldChannels(trx, deps.catalog, acked, `ack:${asker.user}:${now.toISOString()}`, now);
    return acked;
  });
  if (incidents.length === 0) {
    const text = `${def.name} has no open alert to acknowledge.`;
    return { summary: text, blocks: [{ type: "text", text }] };
  }
  const what = incidents
    .map(
      (i) =>
        `${STATUS_LABEL[i.status as Status] ?? i.status} ${i.window}${i.segment ? ` for ${i.segment}` : ""}`,
    )
    .join(", ");
  const text = `${asker.user} acknowledged ${def.name} (${what}).`;
  return {
    summary: text,
    blocks: [
      { type: "text", text },
      { type: "context", text: "The alert shows it; a change in its status is still told in its thread." },
    ],
  };
}

/** A snooze of a KPI is recorded on its open incidents too, and shown on their alerts. */
export async function recordSnooze(
  db: Db,
  catalog: WorkspaceCatalog,
  asker: Asker,
  kpi: string,
  until: Date,
  now: Date,
): Promise<void> {
  const snoozed = await snoozeIncidents(db, asker.workspace, kpi, { by: asker.user, until }, now);
  if (snoozed.length > 0)
    await updateToldChannels(db, catalog, snoozed, `snooze:${asker.user}:${until.toISOString()}`, now);
}
