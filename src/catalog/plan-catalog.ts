import type { Db } from "../db/db.ts";
import { deleteKpi, saveKpiDefinitions } from "../db/kpis-repository.ts";
import { deleteSource, saveSource } from "../db/sources-repository.ts";
import {
  ensureWorkspace,
  setWorkspaceTimezone,
  updateWorkspaceProfile,
} from "../db/workspaces-repository.ts";
import type { ApplyCatalogOptions } from "./apply-catalog.ts";
import { catalogInvalid } from "./catalog-issues.ts";
import { diffFields, type PlanItem } from "./catalog-plan.ts";
import {
  type CatalogState,
  kpiRecord,
  sourceRecord,
  storedWorkspaceRecord,
  workspaceRecord,
} from "./catalog-state.ts";
import { planSubscriptions } from "./plan-subscriptions.ts";
import { resolveSecret } from "./source-secret.ts";

/** A write the plan will make when applied (in order, inside the apply transaction). */
export type Write = (db: Db) => Promise<void>;
export type AddItem = (i: Omit<PlanItem, "changes"> & { changes?: PlanItem["changes"] }) => void;

/**
 * Compares the catalog with the database state: one plan item per workspace setting, source, KPI and
 * subscription, and the writes that make the database match.
 */
export function planCatalog(
  state: CatalogState,
  opts: ApplyCatalogOptions,
): { items: PlanItem[]; writes: Write[] } {
  const items: PlanItem[] = [];
  const writes: Write[] = [];
  const { workspace, catalog } = opts;
  const now = opts.now ?? new Date();
  const item: AddItem = (i) => items.push({ changes: [], ...i });

  const wanted = workspaceRecord(catalog);
  const ws = catalog.workspace ?? {};
  const saveProfile: Write = (db) =>
    updateWorkspaceProfile(db, {
      id: workspace,
      ...(ws.name !== undefined ? { name: ws.name } : {}),
      ...(ws.locale !== undefined ? { locale: ws.locale } : {}),
      ...(ws.admins !== undefined ? { admins: ws.admins } : {}),
      ...(ws.admin_channel !== undefined
        ? { adminPlatform: ws.admin_channel.platform, adminChannel: ws.admin_channel.channel }
        : {}),
    });
  if (state.workspace === undefined) {
    item({ entity: "workspace", key: workspace, action: "create", before: null, after: wanted });
    writes.push(async (db) => {
      await ensureWorkspace(db, {
        id: workspace,
        timezone: catalog.timezone,
        ...(ws.name !== undefined ? { name: ws.name } : {}),
      });
      await saveProfile(db);
    });
  } else {
    const before = storedWorkspaceRecord(state.workspace, wanted);
    const changes = diffFields(before, wanted);
    if (changes.length > 0) {
      item({ entity: "workspace", key: workspace, action: "update", before, after: wanted, changes });
      writes.push(async (db) => {
        await setWorkspaceTimezone(db, workspace, catalog.timezone);
        await saveProfile(db);
      });
    }
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

  const kpiSaves: { def: (typeof catalog.kpis)[number]; position: number }[] = [];
  catalog.kpis.forEach((def, position) => {
    const current = state.kpis.get(def.slug);
    const unreadable = state.unreadable.get(def.slug);
    const after = kpiRecord(def, position);
    const before = current
      ? kpiRecord(current.def, current.position)
      : unreadable
        ? { unreadable: unreadable.problem }
        : null;
    const changes = before ? diffFields(before, after) : [];
    const action = !before ? "create" : changes.length > 0 ? "update" : "unchanged";
    item({ entity: "kpi", key: def.slug, action, before, after, changes });
    if (action !== "unchanged") kpiSaves.push({ def, position });
  });
  // One write for every changed KPI, so thousands of them take a few statements instead of thousands.
  if (kpiSaves.length > 0) writes.push((db) => saveKpiDefinitions(db, workspace, kpiSaves, now));

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
  for (const [slug, k] of state.unreadable) {
    if (inFile.kpi.has(slug)) continue;
    item({
      entity: "kpi",
      key: slug,
      action: opts.prune ? "delete" : "kept",
      before: { unreadable: k.problem },
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
