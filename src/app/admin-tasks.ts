import type { Readable } from "node:stream";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { catalogWarnings } from "../catalog/check-catalog.ts";
import {
  applyCatalog,
  catalogToYaml,
  exportCatalog,
  formatPlan,
  importSamplesCsv,
  parseCatalogText,
} from "../catalog/index.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { readStoredKpis } from "../db/kpis-repository.ts";
import { describeMigrationStatus } from "../db/migrate.ts";
import { listSources } from "../db/sources-repository.ts";
import { getSubscription, listSubscriptions } from "../db/subscriptions-repository.ts";
import { ClgError } from "../errors.ts";
import { renderText } from "../messages/render-text.ts";
import { composeDigest } from "./answers/digest-answer.ts";
import { deliverDue } from "./deliver-outbox.ts";
import { evaluateWorkspace } from "./evaluate-workspace.ts";
import { notifyAdminsOfFailures } from "./notify-admins.ts";
import { type PollOutcome, pollSource } from "./poll-source.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog, subscriptionLocale } from "./workspace-catalog.ts";

/**
 * The administration tasks of `clg` (catalog, migrations, samples, polls, digests) as plain functions on
 * a runtime, so the CLI runs them on the data folder and the running service runs them for the CLI
 * alike. Each returns the text to print; `failed` asks for a non-zero exit.
 */
export interface TaskOutput {
  text: string;
  failed: boolean;
}

const done = (text: string): TaskOutput => ({ text, failed: false });

/** The catalog as YAML; a stored KPI that cannot be read is named in a comment instead of vanishing. */
/** The catalog of `workspace` (default: the deployment's own, CLG_WORKSPACE) as YAML. */
export async function exportCatalogTask(rt: Runtime, workspace = rt.config.workspace): Promise<string> {
  const { unreadable } = await readStoredKpis(rt.db, workspace);
  return catalogToYaml(await exportCatalog(rt.db, workspace), unreadable);
}

export interface ApplyCatalogInput {
  /** The catalog file's text (YAML or JSON); the file name only labels messages. */
  text: string;
  fileName: string;
  dryRun: boolean;
  prune: boolean;
  actor: string;
  /** The workspace to apply to (a Slack team `slack:T…`, a Teams tenant `teams:…`); default CLG_WORKSPACE. */
  workspace?: string | undefined;
  /** Looks up a source secret by the environment variable the catalog names. */
  secrets: (envName: string) => string | undefined;
}

export async function applyCatalogTask(rt: Runtime, input: ApplyCatalogInput): Promise<TaskOutput> {
  const catalog = parseCatalogText(input.text, input.fileName);
  const plan = await applyCatalog(rt.db, {
    workspace: input.workspace ?? rt.config.workspace,
    catalog,
    actor: input.actor,
    dryRun: input.dryRun,
    prune: input.prune,
    secrets: input.secrets,
    ...(rt.config.secretKey ? { secretKey: rt.config.secretKey } : {}),
    fileName: input.fileName,
  });
  const warnings = catalogWarnings(catalog).map((w) => `warning: ${w}`);
  return done([formatPlan(plan), ...warnings].join("\n"));
}

export async function migrationStatusTask(rt: Runtime): Promise<string> {
  return describeMigrationStatus(rt.db);
}

export async function importSamplesTask(
  rt: Runtime,
  input: { text: string; fileName: string } | { input: Readable; fileName: string },
): Promise<string> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const r = await importSamplesCsv(rt.db, {
    workspace: rt.config.workspace,
    ...("text" in input ? { csvText: input.text } : { input: input.input }),
    fileName: input.fileName,
    kpis: [...catalog.kpis],
  });
  await evaluateWorkspace(rt, catalog);
  return `${r.rows} rows read · ${r.written} samples written · ${r.unchanged} unchanged`;
}

/** Polls now (whatever the schedule says); `backfillDays` fetches that much history again. */
export async function pollTask(
  rt: Runtime,
  source: string | undefined,
  backfillDays?: number,
): Promise<TaskOutput> {
  const range = { force: true, ...(backfillDays === undefined ? {} : { backfillDays }) };
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const all = await listSources(rt.db, rt.config.workspace);
  const rows = all.filter((s) => !source || s.name === source);
  if (source && rows.length === 0) {
    throw new ClgError("clg_not_found", `No source "${source}".`, {
      hint:
        all.length > 0
          ? `Sources: ${all.map((s) => s.name).join(", ")}.`
          : "No source is configured; add one to the catalog.",
    });
  }
  const outcomes: PollOutcome[] = [];
  for (const row of rows) outcomes.push(await pollSource(rt.pollDeps, catalog, row, range));
  const lines = outcomes.map((o) =>
    o.ok
      ? `${o.source}: ${o.samples} samples (${o.written} new or changed), ${o.since} → ${o.until}`
      : `${o.source}: FAILED: ${o.error}`,
  );
  await notifyAdminsOfFailures(rt, rt.config.workspace, outcomes);
  const run = await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
  lines.push(
    `evaluated ${run.evaluations} KPI windows · ${run.changes} changes · ${run.alertsQueued} alerts queued`,
  );
  await deliverDue(rt);
  return { text: lines.join("\n"), failed: outcomes.some((o) => !o.ok) };
}

/** Without an id: the digest as it would read now, then the digest subscriptions with their ids. */
export async function digestTask(rt: Runtime, id: string | undefined): Promise<string> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const subs = await listSubscriptions(rt.db, rt.config.workspace, { kind: "digest" });
  if (id === undefined) {
    const lines = [renderText(await composeDigest({ ...rt, catalog }, catalog.locale)), ""];
    if (subs.length === 0) {
      lines.push('No digest subscriptions yet: say "subscribe digest" in a channel to add one.');
    } else {
      lines.push("Digest subscriptions (send one now with `clg digest ID`):");
      for (const s of subs) lines.push(`  ${describeSubscription(s, catalog.timezone)}`);
    }
    return lines.join("\n");
  }
  const wanted = /^\d{1,9}$/.test(id.trim()) ? Number(id) : null;
  const sub = wanted === null ? undefined : await getSubscription(rt.db, rt.config.workspace, wanted);
  if (sub?.kind !== "digest") {
    throw new ClgError("clg_not_found", `No digest subscription with id "${id}".`, {
      hint:
        subs.length > 0
          ? `Digest subscriptions: ${subs.map((s) => describeSubscription(s, catalog.timezone)).join("; ")}.`
          : 'There are none yet: say "subscribe digest" in a channel to add one.',
    });
  }
  const message = await composeDigest(
    { ...rt, catalog },
    subscriptionLocale(catalog, sub),
    sub.filter as SubscriptionFilter,
  );
  const now = rt.clock.now();
  await enqueueDelivery(rt.db, {
    idempotencyKey: `digest-manual:${rt.config.workspace}:${sub.id}:${now.toISOString()}`,
    workspace: rt.config.workspace,
    platform: sub.platform,
    channel: sub.channel,
    payload: { message },
    now,
  });
  const r = await deliverDue(rt);
  return `digest ${sub.id} queued for ${sub.platform} #${sub.channel}; sent ${r.sent}, failed ${r.failed}`;
}

function describeSubscription(
  s: { id: number; platform: string; channel: string; cron: string | null; timezone: string | null },
  catalogZone: string,
): string {
  return `${s.id}: ${s.platform} #${s.channel}, "${s.cron ?? "?"}" ${s.timezone ?? catalogZone}`;
}
