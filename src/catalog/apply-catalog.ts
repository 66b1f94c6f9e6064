import { sql } from "kysely";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import { type AuditEntry, writeAudit } from "../db/audit-log-repository.ts";
import type { Db } from "../db/db.ts";
import { deleteKpi, saveKpiDefinition } from "../db/kpis-repository.ts";
import { deleteSource, saveSource, sourceSecretContext } from "../db/sources-repository.ts";
import { addSubscription, removeSubscription } from "../db/subscriptions-repository.ts";
import { ensureWorkspace, setWorkspaceTimezone } from "../db/workspaces-repository.ts";
import { ClgError } from "../errors.ts";
import { catalogInvalid } from "./catalog-issues.ts";
import { type CatalogPlan, countActions, diffFields, type PlanItem } from "./catalog-plan.ts";
import type { Catalog, SourceDefinition, SubscriptionDefinition } from "./catalog-schema.ts";
import {
  type CatalogState,
  kpiRecord,
  readCatalogState,
  sourceRecord,
  subscriptionRecord,
} from "./catalog-state.ts";
import { subscriptionKey } from "./subscription-key.ts";

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

type Write = (db: Db) => Promise<void>;

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
    const { items, writes } = plan(state, opts);
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

function plan(state: CatalogState, opts: ApplyCatalogOptions): { items: PlanItem[]; writes: Write[] } {
  const items: PlanItem[] = [];
  const writes: Write[] = [];
  const { workspace, catalog } = opts;
  const now = opts.now ?? new Date();
  const item = (i: Omit<PlanItem, "changes"> & { changes?: PlanItem["changes"] }) =>
    items.push({ changes: [], ...i });

  if (state.timezone === undefined) {
    item({
      entity: "workspace",
      key: workspace,
      action: "create",
      before: null,
      after: { timezone: catalog.timezone },
    });
    writes.push((db) => ensureWorkspace(db, { id: workspace, timezone: catalog.timezone }).then(() => {}));
  } else if (state.timezone !== catalog.timezone) {
    const before = { timezone: state.timezone };
    const after = { timezone: catalog.timezone };
    item({
      entity: "workspace",
      key: workspace,
      action: "update",
      before,
      after,
      changes: diffFields(before, after),
    });
    writes.push((db) => setWorkspaceTimezone(db, workspace, catalog.timezone));
  }

  const secretProblems: { path: string; message: string }[] = [];
  catalog.sources.forEach((src, i) => {
    const current = state.sources.get(src.name);
    const secret = resolveSecret(
      src,
      current?.secret_ciphertext ?? null,
      current?.secret_env ?? null,
      opts,
      workspace,
    );
    if ("problem" in secret) {
      secretProblems.push({ path: `sources[${i}].secret_env`, message: secret.problem });
      return;
    }
    const after = { ...sourceRecord(src), secret: secret.label };
    const before = current
      ? { ...sourceRecord(current), secret: current.secret_ciphertext ? "set" : "none" }
      : null;
    const changes = before ? diffFields(before, after) : [];
    if (secret.changed && before && !changes.some((c) => c.field === "secret"))
      changes.push({ field: "secret", before: before.secret, after: "new value" });
    const action = !current ? "create" : changes.length > 0 ? "update" : "unchanged";
    item({ entity: "source", key: src.name, action, before, after, changes });
    if (action !== "unchanged") {
      writes.push((db) =>
        saveSource(
          db,
          workspace,
          {
            name: src.name,
            kind: src.kind,
            schedule: src.schedule,
            config: src.config,
            secretEnv: src.secret_env ?? null,
            secretCiphertext: secret.ciphertext,
          },
          now,
        ),
      );
    }
  });
  if (secretProblems.length > 0) throw catalogInvalid(opts.fileName ?? "catalog", secretProblems);

  catalog.kpis.forEach((def, position) => {
    const current = state.kpis.get(def.slug);
    const after = kpiRecord(def, position);
    const before = current ? kpiRecord(current.def, current.position) : null;
    const changes = before ? diffFields(before, after) : [];
    const action = !current ? "create" : changes.length > 0 ? "update" : "unchanged";
    item({ entity: "kpi", key: def.slug, action, before, after, changes });
    if (action !== "unchanged") writes.push((db) => saveKpiDefinition(db, workspace, def, position, now));
  });

  planSubscriptions(state, opts, item, writes);

  const inFile = {
    source: new Set(catalog.sources.map((s) => s.name)),
    kpi: new Set(catalog.kpis.map((k) => k.slug)),
  };
  for (const [slug, { def, position }] of state.kpis) {
    if (inFile.kpi.has(slug)) continue;
    item({
      entity: "kpi",
      key: slug,
      action: opts.prune ? "delete" : "kept",
      before: kpiRecord(def, position),
      after: null,
    });
    if (opts.prune) writes.push((db) => deleteKpi(db, workspace, slug));
  }
  for (const [name, row] of state.sources) {
    if (inFile.source.has(name)) continue;
    item({
      entity: "source",
      key: name,
      action: opts.prune ? "delete" : "kept",
      before: sourceRecord(row),
      after: null,
    });
    if (opts.prune) writes.push((db) => deleteSource(db, workspace, name));
  }
  return { items, writes };
}

function planSubscriptions(
  state: CatalogState,
  opts: ApplyCatalogOptions,
  item: (i: Omit<PlanItem, "changes"> & { changes?: PlanItem["changes"] }) => void,
  writes: Write[],
): void {
  const { workspace } = opts;
  // Catalog rows first, so a file entry matches its own row before an identical one made in chat.
  const rows = [...state.subscriptions].sort((a, b) => Number(b.from_catalog) - Number(a.from_catalog));
  const matched = new Set<number>();
  for (const sub of opts.catalog.subscriptions) {
    const key = subscriptionKey(sub);
    const row = rows.find((r) => !matched.has(r.id) && subscriptionKey(r) === key);
    const after = subscriptionRecord(sub);
    if (!row) {
      item({ entity: "subscription", key, action: "create", before: null, after });
      writes.push((db) => addCatalogSubscription(db, workspace, sub, opts.actor, opts.now));
      continue;
    }
    matched.add(row.id);
    const before = subscriptionRecord(row);
    const changes = diffFields(before, after);
    item({
      entity: "subscription",
      key,
      action: changes.length > 0 ? "update" : "unchanged",
      before,
      after,
      changes,
    });
    if (changes.length > 0) {
      writes.push(async (db) => {
        await db
          .updateTable("subscriptions")
          .set({ locale: sub.locale })
          .where("workspace", "=", workspace)
          .where("id", "=", row.id)
          .execute();
      });
    }
  }
  for (const row of rows) {
    if (matched.has(row.id) || !row.from_catalog) continue;
    const key = subscriptionKey(row);
    item({
      entity: "subscription",
      key,
      action: opts.prune ? "delete" : "kept",
      before: subscriptionRecord(row),
      after: null,
    });
    if (opts.prune) writes.push((db) => removeSubscription(db, workspace, row.id).then(() => {}));
  }
}

async function addCatalogSubscription(
  db: Db,
  workspace: string,
  sub: SubscriptionDefinition,
  actor: string,
  now?: Date,
) {
  await addSubscription(db, workspace, {
    platform: sub.platform,
    channel: sub.channel,
    kind: sub.kind,
    cron: sub.cron ?? null,
    timezone: sub.timezone ?? null,
    locale: sub.locale,
    filter: sub.filter,
    createdBy: actor,
    fromCatalog: true,
    ...(now ? { createdAt: now } : {}),
  });
}

type SecretOutcome =
  | { ciphertext: string | null; changed: boolean; label: "set" | "none" }
  | { problem: string };

/** Keeps the stored ciphertext when the secret is the same, so a re-apply writes nothing. */
function resolveSecret(
  src: SourceDefinition,
  stored: string | null,
  storedEnv: string | null,
  opts: ApplyCatalogOptions,
  workspace: string,
): SecretOutcome {
  if (src.secret_env === undefined) return { ciphertext: null, changed: stored !== null, label: "none" };
  const value = opts.secrets?.(src.secret_env);
  if (value === undefined || value === "") {
    if (stored !== null && storedEnv === src.secret_env)
      return { ciphertext: stored, changed: false, label: "set" };
    return {
      problem: `source "${src.name}" needs its secret: set the environment variable ${src.secret_env}`,
    };
  }
  if (!opts.secretKey) {
    throw new ClgError(
      "clg_config_invalid",
      `Storing the secret of source "${src.name}" needs CLG_SECRET_KEY.`,
      {
        hint: "Set CLG_SECRET_KEY (e.g. openssl rand -base64 32) and apply again.",
      },
    );
  }
  const context = sourceSecretContext(workspace, src.name);
  if (stored !== null && sameSecret(stored, value, opts.secretKey, context)) {
    return { ciphertext: stored, changed: false, label: "set" };
  }
  return { ciphertext: encryptSecret(value, opts.secretKey, context), changed: true, label: "set" };
}

function sameSecret(stored: string, value: string, key: string, context: string): boolean {
  try {
    return decryptSecret(stored, key, context) === value;
  } catch {
    // Stored with another key or damaged: the new value replaces it.
    return false;
  }
}
