import type { Vocabulary } from "../commands/command.ts";
import type { Db } from "../db/db.ts";
import { readStoredKpis, type UnreadableKpi } from "../db/kpis-repository.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
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

export async function loadWorkspaceCatalog(db: Db, workspace: string): Promise<WorkspaceCatalog> {
  const [row, stored] = await Promise.all([getWorkspace(db, workspace), readStoredKpis(db, workspace)]);
  return buildWorkspaceCatalog(
    workspace,
    row?.timezone ?? "UTC",
    stored.kpis,
    stored.unreadable,
    row?.locale ?? DEFAULT_LOCALE,
  );
}

export function kpisOfStage(catalog: WorkspaceCatalog, stage: Stage): KpiDefinition[] {
  return catalog.kpis.filter((k) => k.stage === stage);
}
