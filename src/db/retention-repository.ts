import { sql } from "kysely";
import { pruneExpiredChartImages } from "./chart-images-repository.ts";
import type { Db } from "./db.ts";

/** Anomaly and forecast keys outlive the retention by this much, so a forecast is still told once a week. */
const ALERT_KEY_MARGIN_MS = 8 * 86_400_000;

/**
 * Deletes what is older than `before` (CLG_RETENTION_DAYS): schedule claims, status changes, observations,
 * incidents resolved before then with what each channel was told about them, anomaly and forecast keys (a
 * week longer), and finished deliveries (sent, failed, skipped) that nothing still needs: not the alert
 * that roots the thread of an incident that is kept (its replies and edits name it), not the parent of
 * a reply or edit still waiting; and chart images expired at `now`. Pending work, open incidents and the
 * audit log are never pruned.
 * Returns how many rows each table lost.
 */
export async function pruneOldRows(
  db: Db,
  before: Date,
  now: Date = before,
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  const count = (r: { numDeletedRows: bigint }) => Number(r.numDeletedRows);

  removed.schedule_runs = count(
    await db.deleteFrom("schedule_runs").where("claimed_at", "<", before).executeTakeFirst(),
  );
  removed.status_changes = count(
    await db.deleteFrom("status_changes").where("at", "<", before).executeTakeFirst(),
  );
  removed.observations = count(
    await db.deleteFrom("observations").where("evaluated_at", "<", before).executeTakeFirst(),
  );
  removed.alert_keys = count(
    await db
      .deleteFrom("alert_keys")
      .where("at", "<", new Date(before.getTime() - ALERT_KEY_MARGIN_MS))
      .executeTakeFirst(),
  );
  const oldIncidents = db.selectFrom("incidents").select("id").where("resolved_at", "<", before);
  removed.incident_notices = count(
    await db.deleteFrom("incident_notices").where("incident_id", "in", oldIncidents).executeTakeFirst(),
  );
  removed.incidents = count(
    await db.deleteFrom("incidents").where("resolved_at", "<", before).executeTakeFirst(),
  );
  removed.deliveries = count(
    await db
      .deleteFrom("deliveries as d")
      .where("d.state", "in", ["sent", "failed", "skipped"])
      .where("d.created_at", "<", before)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("incident_notices as n")
              .select(sql`1`.as("one"))
              .whereRef("n.root_key", "=", "d.idempotency_key"),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("deliveries as child")
              .select(sql`1`.as("one"))
              .whereRef("child.parent_key", "=", "d.idempotency_key")
              .where("child.state", "in", ["pending", "sending"]),
          ),
        ),
      )
      .executeTakeFirst(),
  );
  removed.chart_images = await pruneExpiredChartImages(db, now);
  return removed;
}
