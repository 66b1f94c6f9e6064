import { sql } from "kysely";
import { type AuditEntry, writeAudit } from "../db/audit-log-repository.ts";
import type { Db } from "../db/db.ts";
import { type CatalogPlan, countActions } from "./catalog-plan.ts";
import type { Catalog } from "./catalog-schema.ts";
import { readCatalogState } from "./catalog-state.ts";
import { planCatalog } from "./plan-catalog.ts";

export interface ApplyCatalogOptions {
  workspace: string;
  catalog: Catalog;
  /** Who applied (a user id, "cli:<login>"); goes into the audit log. */
  actor: string;
  dryRun?: boolean;
  /** Delete sources, KPIs and catalog subscriptions the file no longer has (never ones made in chat). */
  prune?: boolean;
  /** Looks up a source's secret by the environment variable named in `secret_env`. */
  secrets?: (envName: string) => string | undefined;
  /** CLG_SECRET_KEY; needed only when a source has a secret to store. */
  secretKey?: string;
  now?: Date;
  /** File name for error messages. */
  fileName?: string;
}

/**
 * Makes the workspace match the catalog: one transaction, serialized per workspace, every change in the
 * audit log. Applying the same catalog again finds nothing to do and writes nothing. With `dryRun` the
 * plan is computed and nothing is written.
 */
export async function applyCatalog(db: Db, opts: ApplyCatalogOptions): Promise<CatalogPlan> {
  const run = async (trx: Db): Promise<CatalogPlan> => {
    if (!opts.dryRun) {
      await sql`select pg_advisory_xact_lock(hashtext(${`clg-catalog:${opts.workspace}`}))`.execute(trx);
    }
    const state = await readCatalogState(trx, opts.workspace);
    const { items, writes } = planCatalog(state, opts);
    const result: CatalogPlan = {
      workspace: opts.workspace,
      dryRun: opts.dryRun ?? false,
      prune: opts.prune ?? false,
      items,
      counts: countActions(items),
    };
    if (opts.dryRun) return result;
    for (const w of writes) await w(trx);
    const at = opts.now ?? new Date();
    const audit: AuditEntry[] = items
      .filter((i) => i.action === "create" || i.action === "update" || i.action === "delete")
      .map((i) => ({
        actor: opts.actor,
        action: `catalog.${i.action}`,
        entity: i.entity,
        entityKey: i.key,
        before: i.before,
        after: i.after,
        at,
      }));
    await writeAudit(trx, opts.workspace, audit);
    return result;
  };
  if (opts.dryRun || db.isTransaction) return run(db);
  return db.transaction().execute(run);
}
