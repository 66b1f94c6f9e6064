import type { Vocabulary } from "../commands/command.ts";
import type { Db } from "../db/db.ts";
import { readStoredKpis, type UnreadableKpi } from "../db/kpis-repository.ts";
import { getCatalogVersion, getWorkspace } from "../db/workspaces-repository.ts";
import type { KpiDefinition } from "../kpi/definition.ts";
import type { Stage } from "../kpi/stage.ts";

/** The locale of a workspace that names none. */
export const DEFAULT_LOCALE = "en-US";

/** The locale a subscription's messages are written in: its own, else its workspace's. */
export function subscriptionLocale(catalog: WorkspaceCatalog, sub: { locale: string | null }): string {
  return sub.locale ?? catalog.locale;
}

/** One workspace's KPIs as the application uses them: in catalog order, by slug, and as parser vocabulary. */
export interface WorkspaceCatalog {
  workspace: string;
  timezone: string;
  /** The workspace's locale: digests and alerts of subscriptions that set none use it. */
  locale: string;
  kpis: readonly KpiDefinition[];
  bySlug: ReadonlyMap<string, KpiDefinition>;
  vocabulary: Vocabulary;
  /** Stored KPIs that cannot be read: named in answers, the board and digests, never evaluated. */
  unreadable: readonly UnreadableKpi[];
}

export function buildWorkspaceCatalog(
  workspace: string,
  timezone: string,
  kpis: readonly KpiDefinition[],
  unreadable: readonly UnreadableKpi[] = [],
  locale = DEFAULT_LOCALE,
): WorkspaceCatalog {
  return {
    workspace,
    timezone,
    locale,
    kpis,
    bySlug: new Map(kpis.map((k) => [k.slug, k])),
    vocabulary: {
      kpis: [
        ...kpis.map((k) => ({ slug: k.slug, name: k.name, aliases: k.aliases, dimensions: k.dimensions })),
        // Still understood by name, so a question about one gets its problem rather than "no such KPI".
        ...unreadable.map((k) => ({ slug: k.slug, name: k.name, aliases: [], dimensions: [] })),
      ],
    },
    unreadable,
  };
}

/** Workspaces whose catalog each database handle keeps in memory, the least recently asked dropped first. */
export const CATALOG_CACHE_LIMIT = 64;

interface CachedCatalog {
  version: string;
  catalog: Promise<WorkspaceCatalog>;
}

/** Per database handle, so two databases (tests, tools) never share an entry. */
const cachedCatalogs = new WeakMap<Db, Map<string, CachedCatalog>>();

async function readWorkspaceCatalog(
  db: Db,
  workspace: string,
  settings?: { timezone: string; locale: string | null },
): Promise<WorkspaceCatalog> {
  const [row, stored] = await Promise.all([
    settings === undefined ? getWorkspace(db, workspace) : settings,
    readStoredKpis(db, workspace),
  ]);
  return buildWorkspaceCatalog(
    workspace,
    row?.timezone ?? "UTC",
    stored.kpis,
    stored.unreadable,
    row?.locale ?? DEFAULT_LOCALE,
  );
}

/**
 * The workspace's catalog. Read from the database once per change: each call reads only the workspace's
 * `catalog_version`, which triggers change in the same transaction as any write to its KPIs, thresholds,
 * targets, timezone or locale, by this process or any other. The version is read before the definitions, so a
 * change landing in between is read again by the next call, never kept under the newer version. Inside a
 * transaction the catalog is read afresh and not kept (its writes may yet roll back). The catalog returned
 * is shared between callers: never changed in place.
 */
export async function loadWorkspaceCatalog(db: Db, workspace: string): Promise<WorkspaceCatalog> {
  if (db.isTransaction) return readWorkspaceCatalog(db, workspace);
  const current = await getCatalogVersion(db, workspace);
  if (!current) return readWorkspaceCatalog(db, workspace);
  let cache = cachedCatalogs.get(db);
  if (!cache) {
    cache = new Map();
    cachedCatalogs.set(db, cache);
  }
  const hit = cache.get(workspace);
  if (hit && hit.version === current.version) {
    // Most recently used last, so the first key is the one to drop.
    cache.delete(workspace);
    cache.set(workspace, hit);
    return hit.catalog;
  }
  const entry: CachedCatalog = {
    version: current.version,
    catalog: readWorkspaceCatalog(db, workspace, current),
  };
  cache.delete(workspace);
  cache.set(workspace, entry);
  while (cache.size > CATALOG_CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest === undefined) break;
    cache.delete(oldest);
  }
  entry.catalog.catch(() => {
    if (cache.get(workspace) === entry) cache.delete(workspace);
  });
  return entry.catalog;
}

export function kpisOfStage(catalog: WorkspaceCatalog, stage: Stage): KpiDefinition[] {
  return catalog.kpis.filter((k) => k.stage === stage);
}
