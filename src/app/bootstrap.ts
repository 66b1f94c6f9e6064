import { fileURLToPath } from "node:url";
import { applyCatalog, loadCatalogFile } from "../catalog/index.ts";
import type { Config } from "../config/config.ts";
import { readStoredKpis } from "../db/kpis-repository.ts";
import { listSources } from "../db/sources-repository.ts";
import { ensureWorkspace, updateWorkspaceProfile } from "../db/workspaces-repository.ts";
import { type PollDeps, type PollOutcome, pollSource } from "./poll-source.ts";
import { loadWorkspaceCatalog } from "./workspace-catalog.ts";

/** The catalog shipped with the project: the CLG dashboard on the demo source. */
export const DEFAULT_CATALOG_FILE = fileURLToPath(new URL("../../catalog/default.yaml", import.meta.url));

/** Sources polled at start when their last good poll is older than this. */
const STALE_AFTER_MS = 60 * 60_000;

/** What an install knows about a workspace: a Slack team, a Teams tenant, or the local one. */
export interface WorkspaceProfile {
  id: string;
  name?: string;
  timezone?: string;
  locale?: string;
  /** Where the workspace's admins hear about failures (set by the install; kept when absent). */
  adminPlatform?: string;
  adminChannel?: string;
}

export interface BootstrapResult {
  catalogApplied: string | null;
  polls: PollOutcome[];
}

/**
 * Makes a fresh install useful at once: an empty workspace gets the configured (or default) catalog, and
 * sources that have never answered, or not lately, are polled before the service says it is ready. The
 * same path provisions a workspace a chat install creates (a Slack team, a Teams tenant).
 */
export async function bootstrapWorkspace(
  deps: PollDeps,
  config: Pick<Config, "workspace" | "catalogFile" | "demo" | "secretKey">,
  env: Record<string, string | undefined> = process.env,
  profile: WorkspaceProfile = { id: config.workspace },
): Promise<BootstrapResult> {
  const { db, clock } = deps;
  const workspace = profile.id;
  await ensureWorkspace(db, {
    id: workspace,
    ...(profile.name ? { name: profile.name } : {}),
    ...(profile.timezone ? { timezone: profile.timezone } : {}),
  });
  await updateWorkspaceProfile(db, profile);
  let catalogApplied: string | null = null;
  const [stored, sources] = await Promise.all([readStoredKpis(db, workspace), listSources(db, workspace)]);
  // An unreadable KPI still counts: the workspace is not empty, and must not get the default catalog.
  if (stored.kpis.length + stored.unreadable.length === 0 && sources.length === 0) {
    const file = config.catalogFile ?? DEFAULT_CATALOG_FILE;
    const loaded = await loadCatalogFile(file);
    // Local channels belong to the local workspace: a chat install's workspace does not inherit its
    // subscriptions (they would post that workspace's digests into the operator's local channels).
    const catalog =
      workspace === config.workspace
        ? loaded
        : { ...loaded, subscriptions: loaded.subscriptions.filter((s) => s.platform !== "local") };
    await applyCatalog(db, {
      workspace,
      catalog,
      actor: "system:first-start",
      secrets: (name) => env[name],
      ...(config.secretKey ? { secretKey: config.secretKey } : {}),
      now: clock.now(),
      fileName: file,
    });
    catalogApplied = file;
  }
  const catalog = await loadWorkspaceCatalog(db, workspace);
  const polls: PollOutcome[] = [];
  const now = clock.now().getTime();
  for (const row of await listSources(db, workspace)) {
    if (row.kind === "demo" && config.demo === "off") continue;
    const fresh = row.last_success_at !== null && now - row.last_success_at.getTime() < STALE_AFTER_MS;
    if (!fresh) polls.push(await pollSource(deps, catalog, row));
  }
  return { catalogApplied, polls };
}
