import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Command } from "commander";
import { composeDigest } from "../app/answers/digest-answer.ts";
import { askLocal } from "../app/ask.ts";
import { bootstrapWorkspace } from "../app/bootstrap.ts";
import { deliverDue } from "../app/deliver-outbox.ts";
import { evaluateWorkspace } from "../app/evaluate-workspace.ts";
import { createLogger } from "../app/logger.ts";
import { notifyAdminsOfFailures } from "../app/notify-admins.ts";
import { pollSource } from "../app/poll-source.ts";
import { openRuntime, type Runtime, type RuntimeOptions } from "../app/runtime.ts";
import { startService } from "../app/service.ts";
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
import { type Config, parseConfig } from "../config/config.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { migrateDown, migrateToLatest, migrationStatus } from "../db/migrate.ts";
import { listSources } from "../db/sources-repository.ts";
import { getSubscription, listSubscriptions } from "../db/subscriptions-repository.ts";
import { ClgError } from "../errors.ts";
import { renderText } from "../messages/render-text.ts";
import { askRunningService, writeCharts } from "./ask-command.ts";
import { formatCliError } from "./report-error.ts";

const out = (text: string) => process.stdout.write(`${text}\n`);

/** Opens the data folder (or server), runs `fn`, and always closes. Logs go to stderr so stdout stays clean. */
async function withRuntime<T>(
  config: Config,
  fn: (rt: Runtime) => Promise<T>,
  opts: RuntimeOptions = {},
): Promise<T> {
  const rt = await openRuntime(config, {
    logger: createLogger(config.logLevel === "info" ? "warn" : config.logLevel, process.stderr as never),
    print: null,
    ...opts,
  });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

const actor = () => `cli:${process.env.USER ?? "unknown"}`;

export function buildCli(config: () => Config): Command {
  const program = new Command("clg")
    .description("clg-bot: Customer-Led Growth KPIs in Slack, Teams and your terminal")
    .showHelpAfterError();

  program
    .command("migrate")
    .description("apply every pending migration (or roll back with --down)")
    .option("--down <steps>", 'roll back this many migrations, or "all"')
    .option("--status", "only show whether migrations are current")
    .action(async (o: { down?: string; status?: boolean }) =>
      withRuntime(
        config(),
        async (rt) => {
          if (o.status) {
            const s = await migrationStatus(rt.db);
            out(s.current ? "migrations: current" : `migrations pending: ${s.pending.join(", ")}`);
            return;
          }
          if (o.down) {
            const steps = o.down === "all" ? "all" : Number(o.down);
            if (steps !== "all" && !(Number.isInteger(steps) && steps > 0))
              throw new ClgError("clg_config_invalid", '--down takes a positive number or "all".');
            const r = await migrateDown(rt.db, steps);
            out(r.applied.length ? `rolled back: ${r.applied.join(", ")}` : "nothing to roll back");
            return;
          }
          const r = await migrateToLatest(rt.db);
          out(r.applied.length ? `applied: ${r.applied.join(", ")}` : "migrations: already current");
        },
        { charts: false },
      ),
    );

  const catalog = program.command("catalog").description("the KPI catalog as code");
  catalog
    .command("apply <file>")
    .description("make the database match a catalog file (YAML or JSON), in one transaction")
    .option("--dry-run", "print what would change and change nothing")
    .option("--prune", "also delete what the file no longer has (never subscriptions made in chat)")
    .action(async (file: string, o: { dryRun?: boolean; prune?: boolean }) => {
      const parsed = await loadCatalogFile(file);
      await withRuntime(
        config(),
        async (rt) => {
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
          out(formatPlan(plan));
          if (o.dryRun) out("(dry run: nothing was written)");
        },
        { charts: false },
      );
    });
  catalog
    .command("export")
    .description("write the current catalog as YAML (export, then apply, changes nothing)")
    .option("-o, --out <file>", "write to a file instead of stdout")
    .action(async (o: { out?: string }) =>
      withRuntime(
        config(),
        async (rt) => {
          const yaml = catalogToYaml(await exportCatalog(rt.db, rt.config.workspace));
          if (o.out) {
            await writeFile(o.out, yaml);
            out(`catalog written to ${o.out}`);
          } else process.stdout.write(yaml);
        },
        { charts: false },
      ),
    );

  program
    .command("samples")
    .description("daily history")
    .command("import <file>")
    .description(
      "load daily history from a CSV file (kpi, day, value | numerator, denominator | score, [segment]); re-importing changes nothing",
    )
    .action(async (file: string) =>
      withRuntime(
        config(),
        async (rt) => {
          const cat = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
          const r = await importSamplesCsv(rt.db, {
            workspace: rt.config.workspace,
            csvText: await readFile(file, "utf8"),
            kpis: [...cat.kpis],
          });
          out(`${r.rows} rows read · ${r.written} samples written · ${r.unchanged} unchanged`);
          await evaluateWorkspace(rt, cat);
        },
        { charts: false },
      ),
    );

  program
    .command("poll [source]")
    .description("poll one source (or all) now, evaluate, and send what is due")
    .action(async (source: string | undefined) =>
      withRuntime(
        config(),
        async (rt) => {
          const cat = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
          const rows = (await listSources(rt.db, rt.config.workspace)).filter(
            (s) => !source || s.name === source,
          );
          if (source && rows.length === 0)
            throw new ClgError("clg_not_found", `No source "${source}".`, {
              hint: "Type `clg ask sources` to list them.",
            });
          const outcomes = [];
          for (const row of rows) outcomes.push(await pollSource(rt.pollDeps, cat, row));
          for (const o of outcomes)
            out(
              o.ok
                ? `${o.source}: ${o.samples} samples (${o.written} new or changed), ${o.since} → ${o.until}`
                : `${o.source}: FAILED: ${o.error}`,
            );
          await notifyAdminsOfFailures(rt, rt.config.workspace, outcomes);
          const run = await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
          out(
            `evaluated ${run.evaluations} KPI windows · ${run.changes} changes · ${run.alertsQueued} alerts queued`,
          );
          await deliverDue({ ...rt, charts: rt.charts });
          if (outcomes.some((o) => !o.ok)) process.exitCode = 1;
        },
        { print: out },
      ),
    );

  program
    .command("ask <text...>")
    .description('answer as the bot would, e.g. clg ask "activation 28d"')
    .option("--channel <name>", "the local channel asking", "general")
    .option("--charts <folder>", "where to write chart PNGs (default: <CLG_DATA_DIR>/charts)")
    .option("--json", "print the message model as JSON")
    .action(async (words: string[], o: { channel: string; charts?: string; json?: boolean }) => {
      const cfg = config();
      const text = words.join(" ");
      const answer =
        (cfg.databaseUrl ? null : await askRunningService(cfg.dataDir, text, o.channel)) ??
        (await withRuntime(cfg, async (rt) => {
          const boot = await bootstrapWorkspace(rt.pollDeps, rt.config);
          if (boot.catalogApplied || boot.polls.length > 0)
            await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
          return {
            ...(await askLocal(rt, { text, channel: o.channel, user: actor() })),
            via: "data folder" as const,
          };
        }));
      if (o.json) out(JSON.stringify(answer.message, null, 2));
      else out(answer.text);
      for (const line of await writeCharts(o.charts ?? join(cfg.dataDir, "charts"), answer.charts)) out(line);
    });

  program
    .command("digest [subscription]")
    .description("send a digest now: to one subscription (by id), or print the digest when none is given")
    .action(async (id: string | undefined) =>
      withRuntime(
        config(),
        async (rt) => {
          const cat = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
          if (!id) {
            out(renderText(await composeDigest({ ...rt, catalog: cat }, "en-US")));
            const subs = await listSubscriptions(rt.db, rt.config.workspace, { kind: "digest" });
            if (subs.length > 0)
              out(
                `\nsubscriptions: ${subs.map((s) => `${s.id} (${s.platform} #${s.channel}, ${s.cron})`).join("; ")}`,
              );
            return;
          }
          const sub = await getSubscription(rt.db, rt.config.workspace, Number(id));
          if (sub?.kind !== "digest")
            throw new ClgError("clg_not_found", `No digest subscription ${id}.`, {
              hint: "Run `clg digest` to list them.",
            });
          const message = await composeDigest(
            { ...rt, catalog: cat },
            sub.locale,
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
          out(`digest queued for ${sub.platform} #${sub.channel}; sent ${r.sent}, failed ${r.failed}`);
        },
        { print: out },
      ),
    );

  program
    .command("serve")
    .description("run the service (the same as npm start)")
    .action(async () => {
      const cfg = config();
      const rt = await openRuntime(cfg);
      const service = await startService(rt);
      const stop = async () => {
        await service.stop();
        await rt.close();
        process.exit(0);
      };
      process.on("SIGINT", () => void stop());
      process.on("SIGTERM", () => void stop());
      await service.ready;
    });

  return program;
}

const isMain = process.argv[1]?.endsWith("cli/main.ts");
if (isMain) {
  buildCli(() => parseConfig())
    .parseAsync(process.argv)
    .catch((error) => {
      process.stderr.write(`${formatCliError(error, Boolean(process.env.CLG_DEBUG))}\n`);
      process.exit(1);
    });
}
