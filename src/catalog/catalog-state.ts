import type { Db } from "../db/db.ts";
import { kpiPositions, readStoredKpis, type UnreadableKpi } from "../db/kpis-repository.ts";
import type { SourceRow, SubscriptionRow } from "../db/schema.ts";
import { listSources } from "../db/sources-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import type { KpiDefinition } from "../kpi/definition.ts";

/** What the database holds for one workspace, in the shapes the plan compares. */
export interface CatalogState {
  timezone: string | undefined;
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
  locale: string;
  filter: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    platform: s.platform,
    channel: s.channel,
    kind: s.kind,
    cron: s.cron ?? null,
    timezone: s.timezone ?? null,
    locale: s.locale,
    filter: s.filter,
  };
}
