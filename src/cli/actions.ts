import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { composeDigest } from "../app/answers/digest-answer.ts";
import { bootstrapWorkspace } from "../app/bootstrap.ts";
import { deliverDue } from "../app/deliver-outbox.ts";
import { evaluateWorkspace } from "../app/evaluate-workspace.ts";
import { notifyAdminsOfFailures } from "../app/notify-admins.ts";
import { type PollOutcome, pollSource } from "../app/poll-source.ts";
import { loadWorkspaceCatalog } from "../app/workspace-catalog.ts";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import {
  applyCatalog,
  catalogToYaml,
  exportCatalog,
  formatPlan,
  importSamplesCsv,
  loadCatalogFile,
} from "../catalog/index.ts";
import { openRuntime, type LocalRuntime as Runtime, type RuntimeOptions } from "../compose/runtime.ts";
import { startService } from "../compose/service.ts";
import type { Config } from "../config/config.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { readStoredKpis } from "../db/kpis-repository.ts";
import { migrateDown, migrateToLatest, migrationStatus } from "../db/migrate.ts";
import { listSources } from "../db/sources-repository.ts";
import { getSubscription, listSubscriptions } from "../db/subscriptions-repository.ts";
import { ClgError } from "../errors.ts";
import { askLocal } from "../local/ask-local.ts";
import { createLogger } from "../logging/create-logger.ts";
import { renderText } from "../messages/render-text.ts";
import { type AskResult, writeCharts } from "./ask-command.ts";

export type Print = (text: string) => void;

/** Opens the data folder (or server), runs `fn`, and always closes. Logs go to stderr so stdout stays clean. */
async function withRuntime<T>(
  config: Config,
  fn: (rt: Runtime) => Promise<T>,
  opts: RuntimeOptions = {},
): Promise<T> {
  const rt = await openRuntime(config, {
    logger: createLogger(config.logLevel === "info" ? "warn" : config.logLevel, process.stderr as never),
    print: null,
    charts: false,
    ...opts,
  });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

const actor = () => `cli:${process.env.USER ?? "unknown"}`;

export async function migrate(
  config: Config,
  print: Print,
  o: { down?: string; status?: boolean },
): Promise<void> {
  await withRuntime(config, async (rt) => {
    if (o.status) {
      const s = await migrationStatus(rt.db);
      print(s.current ? "migrations: current" : `migrations pending: ${s.pending.join(", ")}`);
      return;
    }
    if (o.down) {
      const steps = o.down === "all" ? "all" : Number(o.down);
      if (steps !== "all" && !(Number.isInteger(steps) && steps > 0)) {
        throw new ClgError("clg_config_invalid", '--down takes a positive number or "all".');
      }
      const r = await migrateDown(rt.db, steps);
      print(r.applied.length ? `rolled back: ${r.applied.join(", ")}` : "nothing to roll back");
      return;
    }
    const r = await migrateToLatest(rt.db);
    print(r.applied.length ? `applied: ${r.applied.join(", ")}` : "migrations: already current");
  });
}

export async function catalogApply(
  config: Config,
  print: Print,
  file: string,
  o: { dryRun?: boolean; prune?: boolean },
): Promise<void> {
  const parsed = await loadCatalogFile(file);
  await withRuntime(config, async (rt) => {
    const plan = await applyCatalog(rt.db, {
      workspace: rt.config.workspace,
      catalog: parsed,
      actor: actor(),
      dryRun: Boolean(o.dryRun),
      prune: Boolean(o.prune),
      secrets: (name) => process.env[name],
      ...(rt.config.secretKey ? { secretKey: rt.config.secretKey } : {}),
      fileName: file,
    });
    print(formatPlan(plan));
    if (o.dryRun) print("(dry run: nothing was written)");
  });
}

export async function catalogExport(config: Config, print: Print, o: { out?: string }): Promise<void> {
  await withRuntime(config, async (rt) => {
    const { unreadable } = await readStoredKpis(rt.db, rt.config.workspace);
    const yaml = catalogToYaml(await exportCatalog(rt.db, rt.config.workspace), unreadable);
    for (const k of unreadable)
      process.stderr.write(`warning: KPI "${k.slug}" cannot be read (${k.problem}) and is left out\n`);
    if (o.out) {
      await writeFile(o.out, yaml);
      print(`catalog written to ${o.out}`);
    } else process.stdout.write(yaml);
  });
}

export async function samplesImport(config: Config, print: Print, file: string): Promise<void> {
  await withRuntime(config, async (rt) => {
    const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
    const r = await importSamplesCsv(rt.db, {
      workspace: rt.config.workspace,
      input: createReadStream(file),
      fileName: file,
      kpis: [...catalog.kpis],
    });
    print(`${r.rows} rows read · ${r.written} samples written · ${r.unchanged} unchanged`);
    await evaluateWorkspace(rt, catalog);
  });
}

export async function poll(config: Config, print: Print, source: string | undefined): Promise<void> {
  await withRuntime(
    config,
    async (rt) => {
      const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
      const rows = (await listSources(rt.db, rt.config.workspace)).filter(
        (s) => !source || s.name === source,
      );
      if (source && rows.length === 0) {
        throw new ClgError("clg_not_found", `No source "${source}".`, {
          hint: "Run `clg ask sources` to list them.",
        });
      }
      const outcomes: PollOutcome[] = [];
      for (const row of rows) outcomes.push(await pollSource(rt.pollDeps, catalog, row));
      for (const o of outcomes) {
        print(
          o.ok
            ? `${o.source}: ${o.samples} samples (${o.written} new or changed), ${o.since} → ${o.until}`
            : `${o.source}: FAILED: ${o.error}`,
        );
      }
      await notifyAdminsOfFailures(rt, rt.config.workspace, outcomes);
      const run = await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
      print(
        `evaluated ${run.evaluations} KPI windows · ${run.changes} changes · ${run.alertsQueued} alerts queued`,
      );
      await deliverDue(rt);
      if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
    },
    { print, charts: true },
  );
}

/** `clg ask` without a running service: open the data folder, set it up if it is new, answer. */
export async function askInDataFolder(config: Config, text: string, channel: string): Promise<AskResult> {
  return withRuntime(
    config,
    async (rt) => {
      const boot = await bootstrapWorkspace(rt.pollDeps, rt.config);
      if (boot.catalogApplied || boot.polls.length > 0) {
        await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
      }
      return { ...(await askLocal(rt, { text, channel, user: actor() })), via: "data folder" as const };
    },
    { charts: true },
  );
}

export async function printAnswer(
  config: Config,
  print: Print,
  answer: AskResult,
  o: { charts?: string; json?: boolean },
): Promise<void> {
  print(o.json ? JSON.stringify(answer.message, null, 2) : answer.text);
  for (const line of await writeCharts(o.charts ?? join(config.dataDir, "charts"), answer.charts))
    print(line);
}

export async function digest(config: Config, print: Print, id: string | undefined): Promise<void> {
  await withRuntime(
    config,
    async (rt) => {
      const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
      if (!id) {
        print(renderText(await composeDigest({ ...rt, catalog }, "en-US")));
        const subs = await listSubscriptions(rt.db, rt.config.workspace, { kind: "digest" });
        if (subs.length > 0)
          print(
            `\nsubscriptions: ${subs.map((s) => `${s.id} (${s.platform} #${s.channel}, ${s.cron})`).join("; ")}`,
          );
        return;
      }
      const sub = await getSubscription(rt.db, rt.config.workspace, Number(id));
      if (sub?.kind !== "digest") {
        throw new ClgError("clg_not_found", `No digest subscription ${id}.`, {
          hint: "Run `clg digest` to list them.",
        });
      }
      const message = await composeDigest({ ...rt, catalog }, sub.locale, sub.filter as SubscriptionFilter);
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
      print(`digest queued for ${sub.platform} #${sub.channel}; sent ${r.sent}, failed ${r.failed}`);
    },
    { print, charts: true },
  );
}

export async function serve(config: Config): Promise<void> {
  const rt = await openRuntime(config);
  const service = await startService(rt);
  const stop = async () => {
    await service.stop();
    await rt.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  await service.ready;
}
