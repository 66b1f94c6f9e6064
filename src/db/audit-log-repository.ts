import { chunks } from "./chunks.ts";
import type { Db } from "./db.ts";
import type { AuditLogRow } from "./schema.ts";

export interface AuditEntry {
  actor: string;
  /** create / update / delete, or a verb of the feature (mute, subscribe...). */
  action: string;
  entity: string;
  entityKey: string;
  before: unknown;
  after: unknown;
  at?: Date;
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export async function writeAudit(db: Db, workspace: string, entries: readonly AuditEntry[]): Promise<void> {
  for (const slice of chunks(entries, 8)) {
    await db
      .insertInto("audit_log")
      .values(
        slice.map((e) => ({
          workspace,
          actor: e.actor,
          action: e.action,
          entity: e.entity,
          entity_key: e.entityKey,
          before: json(e.before),
          after: json(e.after),
          ...(e.at ? { at: e.at } : {}),
        })),
      )
      .execute();
  }
}

export async function listAudit(
  db: Db,
  workspace: string,
  opts: { since?: Date; entity?: string; limit?: number } = {},
): Promise<AuditLogRow[]> {
  let q = db.selectFrom("audit_log").selectAll().where("workspace", "=", workspace);
  if (opts.since) q = q.where("at", ">=", opts.since);
  if (opts.entity) q = q.where("entity", "=", opts.entity);
  return q
    .orderBy("id")
    .limit(opts.limit ?? 1000)
    .execute();
}
