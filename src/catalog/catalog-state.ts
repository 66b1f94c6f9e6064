import type { Db } from "../db/db.ts";
import { kpiPositions, readStoredKpis, type UnreadableKpi } from "../db/kpis-repository.ts";
import type { SourceRow, SubscriptionRow, WorkspaceRow } from "../db/schema.ts";
import { listSources } from "../db/sources-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import type { KpiDefinition } from "../kpi/definition.ts";
import type { Catalog } from "./catalog-schema.ts";

/** What the database holds for one workspace, in the shapes the plan compares. */
export interface CatalogState {
  timezone: string | undefined;
  /** The stored workspace row (undefined: not created yet). */
  workspace: WorkspaceRow | undefined;
  sources: Map<string, SourceRow>;
  kpis: Map<string, { def: KpiDefinition; position: number }>;
  /** Stored KPIs that cannot be read: the catalog's definition replaces them. */
  unreadable: Map<string, UnreadableKpi>;
  subscriptions: SubscriptionRow[];
}

export async function readCatalogState(db: Db, workspace: string): Promise<CatalogState> {
  const ws = await getWorkspace(db, workspace);
  const positions = await kpiPositions(db, workspace);
  const stored = await readStoredKpis(db, workspace);
  return {
    timezone: ws?.timezone,
    workspace: ws,
    sources: new Map((await listSources(db, workspace)).map((s) => [s.name, s])),
    kpis: new Map(stored.kpis.map((def) => [def.slug, { def, position: positions.get(def.slug) ?? 0 }])),
    unreadable: new Map(stored.unreadable.map((k) => [k.slug, k])),
    subscriptions: await listSubscriptions(db, workspace),
  };
}

/** A source as the catalog sees it (no secret, no poll history). */
export function sourceRecord(s: {
  name: string;
  kind: string;
  schedule: string;
  config: Record<string, unknown>;
  secret_env?: string | null | undefined;
}): Record<string, unknown> {
  return {
    name: s.name,
    kind: s.kind,
    schedule: s.schedule,
    config: s.config,
    secret_env: s.secret_env ?? null,
  };
}

export function kpiRecord(def: KpiDefinition, position: number): Record<string, unknown> {
  return { ...def, position };
}

export function subscriptionRecord(s: {
  platform: string;
  channel: string;
  kind: string;
  cron?: string | null | undefined;
  timezone?: string | null | undefined;
  locale?: string | null | undefined;
  filter: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    platform: s.platform,
    channel: s.channel,
    kind: s.kind,
    cron: s.cron ?? null,
    timezone: s.timezone ?? null,
    locale: s.locale ?? null,
    filter: s.filter,
  };
}

/**
 * The workspace settings a catalog gives, as the plan compares them: the timezone always, the other fields
 * only when the file names them (a field left out keeps the stored value, which an install may have set).
 */
export function workspaceRecord(catalog: Catalog): Record<string, unknown> {
  const ws = catalog.workspace ?? {};
  return {
    timezone: catalog.timezone,
    ...(ws.name !== undefined ? { name: ws.name } : {}),
    ...(ws.locale !== undefined ? { locale: ws.locale } : {}),
    ...(ws.admins !== undefined ? { admins: ws.admins } : {}),
    ...(ws.admin_channel !== undefined ? { admin_channel: ws.admin_channel } : {}),
  };
}

/** The stored workspace in the same shape, limited to the fields `wanted` has. */
export function storedWorkspaceRecord(
  row: WorkspaceRow,
  wanted: Record<string, unknown>,
): Record<string, unknown> {
  const stored: Record<string, unknown> = {
    timezone: row.timezone,
    name: row.name,
    locale: row.locale,
    admins: row.admins,
    admin_channel:
      row.admin_channel !== null
        ? { platform: row.admin_platform ?? "local", channel: row.admin_channel }
        : null,
  };
  return Object.fromEntries(Object.keys(wanted).map((k) => [k, stored[k] ?? null]));
}
