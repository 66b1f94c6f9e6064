import { chunks } from "./chunks.ts";
import type { Db } from "./db.ts";
import type { NewStatusChange, StatusChangeRow } from "./schema.ts";

export type StatusChangeInput = Omit<NewStatusChange, "workspace" | "id">;

/** Records transitions (the alert feed); returns the new ids in input order. */
export async function insertStatusChanges(
  db: Db,
  workspace: string,
  changes: readonly StatusChangeInput[],
): Promise<number[]> {
  const ids: number[] = [];
  // Sixteen leaves room for every column a change has; the limit only needs an upper bound.
  for (const slice of chunks(changes, 16)) {
    const rows = await db
      .insertInto("status_changes")
      .values(slice.map((c) => ({ ...c, workspace, detail: JSON.stringify(c.detail ?? {}) })))
      .returning("id")
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export async function listStatusChangesSince(
  db: Db,
  workspace: string,
  since: Date,
  opts: { kpi?: string; kind?: StatusChangeRow["kind"]; limit?: number } = {},
): Promise<StatusChangeRow[]> {
  let q = db
    .selectFrom("status_changes")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("at", ">=", since);
  if (opts.kpi !== undefined) q = q.where("kpi", "=", opts.kpi);
  if (opts.kind !== undefined) q = q.where("kind", "=", opts.kind);
  return q
    .orderBy("at")
    .orderBy("id")
    .limit(opts.limit ?? 1000)
    .execute();
}

/**
 * Claims the right to tell an anomaly or forecast: true the first time its key is seen, and again once the
 * last telling is older than `repeatBefore` (when given). The key's primary key decides, so two runs or two
 * replicas never both win, however many changes the workspace has recorded.
 */
export async function claimAlertKey(
  db: Db,
  workspace: string,
  k: { kind: string; kpi: string; key: string },
  now: Date,
  repeatBefore: Date | null = null,
): Promise<boolean> {
  const row = await db
    .insertInto("alert_keys")
    .values({ workspace, kind: k.kind, kpi: k.kpi, key: k.key, at: now })
    .onConflict((oc) =>
      repeatBefore === null
        ? oc.columns(["workspace", "kind", "kpi", "key"]).doNothing()
        : oc
            .columns(["workspace", "kind", "kpi", "key"])
            .doUpdateSet({ at: now })
            .where("alert_keys.at", "<", repeatBefore),
    )
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}
