import { stringify } from "yaml";
import type { Db } from "../db/db.ts";
import { listKpiDefinitions, type UnreadableKpi } from "../db/kpis-repository.ts";
import type { WorkspaceRow } from "../db/schema.ts";
import { listSources } from "../db/sources-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import { type KpiDefinition, kpiDefinitionSchema } from "../kpi/definition.ts";
import { canonicalJson } from "./catalog-plan.ts";
import type { Catalog, Platform, SubscriptionFilter, WorkspaceDefinition } from "./catalog-schema.ts";

/**
 * The workspace as a catalog: what `applyCatalog` would need to recreate it. Subscriptions made in chat
 * are not part of it (they belong to the people who made them). Secrets are never exported, only the
 * name of the environment variable that holds each.
 */
export async function exportCatalog(db: Db, workspace: string): Promise<Catalog> {
  const ws = await getWorkspace(db, workspace);
  const sources = await listSources(db, workspace);
  const subs = await listSubscriptions(db, workspace, { fromCatalog: true });
  const settings = ws ? workspaceSettings(ws) : {};
  return {
    version: 1,
    timezone: ws?.timezone ?? "UTC",
    ...(Object.keys(settings).length > 0 ? { workspace: settings } : {}),
    sources: sources.map((s) => ({
      name: s.name,
      kind: s.kind as Catalog["sources"][number]["kind"],
      schedule: s.schedule,
      config: s.config,
      ...(s.secret_env !== null ? { secret_env: s.secret_env } : {}),
    })),
    kpis: await listKpiDefinitions(db, workspace),
    subscriptions: subs.map((s) => ({
      platform: s.platform as Catalog["subscriptions"][number]["platform"],
      channel: s.channel,
      kind: s.kind,
      ...(s.cron !== null ? { cron: s.cron } : {}),
      ...(s.timezone !== null ? { timezone: s.timezone } : {}),
      ...(s.locale !== null ? { locale: s.locale } : {}),
      filter: s.filter as SubscriptionFilter,
    })),
  };
}

/** The workspace's stored settings as the catalog's `workspace` section (the timezone stays at the top). */
function workspaceSettings(ws: WorkspaceRow): WorkspaceDefinition {
  return {
    ...(ws.name !== ws.id ? { name: ws.name } : {}),
    ...(ws.locale !== null ? { locale: ws.locale } : {}),
    ...(ws.admins !== null ? { admins: ws.admins } : {}),
    ...(ws.admin_channel !== null
      ? {
          admin_channel: {
            platform: (ws.admin_platform ?? "local") as Platform,
            channel: ws.admin_channel,
          },
        }
      : {}),
  };
}

const OPTIONAL_KPI_FIELDS = [
  "aliases",
  "windows",
  "query",
  "dimensions",
  "format",
  "thresholds",
  "flap",
  "targets",
  "anomaly",
  "forecast",
] as const;

/** A KPI without the fields that only repeat the schema's defaults, so exported files stay short. */
function withoutDefaults(def: KpiDefinition): Record<string, unknown> {
  const defaults = kpiDefinitionSchema.parse({
    slug: def.slug,
    name: def.name,
    stage: def.stage,
    unit: def.unit,
    direction: def.direction,
    aggregation: def.aggregation,
  });
  const out: Record<string, unknown> = { ...def };
  for (const f of OPTIONAL_KPI_FIELDS)
    if (canonicalJson(def[f]) === canonicalJson(defaults[f])) delete out[f];
  return out;
}

/**
 * YAML for a catalog, defaults left out; parsing it back gives the same catalog. Stored KPIs that could
 * not be read are named in a comment at the top, since the file cannot hold them.
 */
export function catalogToYaml(catalog: Catalog, unreadable: readonly UnreadableKpi[] = []): string {
  const doc = {
    version: catalog.version,
    timezone: catalog.timezone,
    ...(catalog.workspace ? { workspace: catalog.workspace } : {}),
    sources: catalog.sources.map((s) => {
      const { config, ...rest } = s;
      return Object.keys(config).length > 0 ? s : rest;
    }),
    kpis: catalog.kpis.map(withoutDefaults),
    subscriptions: catalog.subscriptions.map((s) => {
      const out: Record<string, unknown> = { ...s };
      if (Object.keys(s.filter).length === 0) delete out.filter;
      return out;
    }),
  };
  const notes = unreadable.map(
    (k) =>
      `# Left out: KPI "${k.slug}" (${k.name}) cannot be read from the database: ${k.problem}.\n# Write its definition under kpis before applying with --prune, or it is deleted.\n`,
  );
  return notes.join("") + stringify(doc, { lineWidth: 0 });
}
