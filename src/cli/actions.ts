import { createReadStream } from "node:fs";
import { open, readFile, stat, writeFile } from "node:fs/promises";
import {
  applyCatalogTask,
  digestTask,
  exportCatalogTask,
  importSamplesTask,
  pollTask,
} from "../app/admin-tasks.ts";
import { parseBackfillDays } from "../app/backfill-days.ts";
import { bootstrapWorkspace } from "../app/bootstrap.ts";
import { evaluateWorkspace } from "../app/evaluate-workspace.ts";
import { testSourceTask } from "../app/test-source-task.ts";
import { loadWorkspaceCatalog } from "../app/workspace-catalog.ts";
import { parseCatalogText } from "../catalog/index.ts";
import { assertPortFree } from "../compose/assert-port-free.ts";
import { openRuntime, type LocalRuntime as Runtime, type RuntimeOptions } from "../compose/runtime.ts";
import { startService } from "../compose/service.ts";
import type { Config } from "../config/config.ts";
import { openDatabase } from "../db/database.ts";
import {
  describeLoss,
  describeMigrationStatus,
  migrateDown,
  migrateToLatest,
  planRollback,
  rollbackLosesData,
} from "../db/migrate.ts";
import { rotateSecrets } from "../db/rotate-secrets.ts";
import { ClgError } from "../errors.ts";
import { askLocal } from "../local/ask-local.ts";
import type { ServiceFile } from "../local/service-file.ts";
import { createLogger } from "../logging/create-logger.ts";
import type { AskResult } from "./ask-command.ts";
import { callService, runningService, type ServiceOutput } from "./service-client.ts";

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

/**
 * Runs a task on the running service of this data folder when there is one (PGlite allows one process
 * per folder), otherwise on the data folder itself. Both print the same text.
 */
async function viaServiceOrFolder(
  config: Config,
  remote: (running: ServiceFile) => Promise<ServiceOutput>,
  local: (rt: Runtime) => Promise<ServiceOutput>,
  opts?: RuntimeOptions,
): Promise<ServiceOutput> {
  const running = runningService(config);
  return running ? remote(running) : withRuntime(config, local, opts);
}

function printOutput(print: Print, out: ServiceOutput): void {
  print(out.text);
  if (out.failed) process.exitCode = 1;
}

const text = (t: string): ServiceOutput => ({ text: t, failed: false });

/** Reads a file the user named; a missing or unreadable one is said plainly, with its path. */
function unreadableFile(path: string, e: unknown): ClgError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new ClgError("clg_not_found", `file not found: ${path}`);
  const why =
    code === "EACCES" ? "permission denied" : code === "EISDIR" ? "it is a folder" : (e as Error).message;
  return new ClgError("clg_not_found", `cannot read ${path}: ${why}`, { cause: e });
}

export async function readUserFile(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw unreadableFile(path, e);
  }
}

/** Says now, in plain words, when a file cannot be read, before anything is opened for it. */
async function checkUserFile(path: string): Promise<void> {
  try {
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error("is a folder"), { code: "EISDIR" });
    await (await open(path, "r")).close();
  } catch (e) {
    throw unreadableFile(path, e);
  }
}

export async function migrate(
  config: Config,
  print: Print,
  o: { down?: string; status?: boolean; yes?: boolean },
): Promise<void> {
  const steps = o.down === undefined ? undefined : o.down === "all" ? "all" : Number(o.down);
  if (steps !== undefined && steps !== "all" && !(Number.isInteger(steps) && steps > 0)) {
    throw new ClgError("clg_config_invalid", '--down takes a positive number or "all".');
  }
  const running = runningService(config);
  if (running) {
    if (steps !== undefined) {
      throw new ClgError(
        "clg_db_unreachable",
        `The clg service (pid ${running.pid}) is running on ${config.dataDir}; a rollback drops tables it uses.`,
        { hint: "Stop the service (Ctrl+C in its terminal), then run the rollback again." },
      );
    }
    const out = await callService(running, config.dataDir, "/migrations");
    print(o.status ? out.text : `${out.text} (the running service applies migrations when it starts)`);
    return;
  }
  // Not openRuntime: it migrates to the latest first, which would undo a rollback before --status reads it.
  const opened = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (o.status) return print(await describeMigrationStatus(opened.db));
    if (steps !== undefined) {
      const plan = await planRollback(opened.db, steps);
      if (plan.migrations.length === 0) return print("nothing to roll back");
      const loss = describeLoss(plan);
      if (rollbackLosesData(plan) && !o.yes) {
        throw new ClgError(
          "clg_config_invalid",
          `Rolling back ${plan.migrations.join(", ")} would delete ${loss}.`,
          {
            hint: "Nothing was changed. Keep the catalog first (`clg catalog export -o catalog.yaml`), then add --yes to roll back.",
          },
        );
      }
      const r = await migrateDown(opened.db, steps, { lost: loss });
      print(`rolled back: ${r.applied.join(", ")}${loss ? `; deleted ${loss}` : ""}`);
      return;
    }
    const r = await migrateToLatest(opened.db);
    print(r.applied.length ? `applied: ${r.applied.join(", ")}` : "migrations: already current");
  } finally {
    await opened.close();
  }
}

/**
 * `clg secrets rotate`: every stored secret re-encrypted from CLG_SECRET_KEY to CLG_NEW_SECRET_KEY in one
 * transaction. Refused while a service holds the data folder, since it would keep the old key.
 */
export async function secretsRotate(config: Config, print: Print): Promise<void> {
  const generate = "Generate one with: openssl rand -base64 32";
  if (!config.secretKey) {
    throw new ClgError(
      "clg_config_invalid",
      "CLG_SECRET_KEY is not set: set it to the key the secrets are stored under now.",
      {
        hint: "It is the key the service runs with.",
      },
    );
  }
  if (!config.newSecretKey) {
    throw new ClgError(
      "clg_config_invalid",
      "CLG_NEW_SECRET_KEY is not set: set it to the key to encrypt the secrets under.",
      {
        hint: generate,
      },
    );
  }
  if (config.newSecretKey === config.secretKey) {
    throw new ClgError("clg_config_invalid", "CLG_NEW_SECRET_KEY is the same as CLG_SECRET_KEY.", {
      hint: generate,
    });
  }
  const running = runningService(config);
  if (running) {
    throw new ClgError(
      "clg_db_unreachable",
      `The clg service (pid ${running.pid}) is running on ${config.dataDir} with the old key.`,
      {
        hint: "Stop the service (Ctrl+C in its terminal), rotate, then start it with CLG_SECRET_KEY set to the new key.",
      },
    );
  }
  const opened = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(opened.db);
    const r = await rotateSecrets(opened.db, config.secretKey, config.newSecretKey);
    print(
      `re-encrypted ${r.sources} source secret${r.sources === 1 ? "" : "s"} and ${r.installations} chat installation${r.installations === 1 ? "" : "s"} under CLG_NEW_SECRET_KEY`,
    );
    print("now set CLG_SECRET_KEY to that key wherever clg runs, and restart the service");
  } finally {
    await opened.close();
  }
}

export async function catalogApply(
  config: Config,
  print: Print,
  file: string,
  o: { dryRun?: boolean; prune?: boolean; workspace?: string },
): Promise<void> {
  const input = {
    text: await readUserFile(file),
    fileName: file,
    dryRun: Boolean(o.dryRun),
    prune: Boolean(o.prune),
    actor: actor(),
    ...(o.workspace ? { workspace: o.workspace } : {}),
  };
  // Validate before reaching the service or the data folder: a bad file opens nothing.
  parseCatalogText(input.text, input.fileName);
  const out = await viaServiceOrFolder(
    config,
    (running) => callService(running, config.dataDir, "/catalog/apply", input),
    (rt) => applyCatalogTask(rt, { ...input, secrets: (name) => process.env[name] }),
  );
  printOutput(print, out);
}

export async function catalogExport(
  config: Config,
  print: Print,
  o: { out?: string; workspace?: string },
): Promise<void> {
  const query = o.workspace ? `?${new URLSearchParams({ workspace: o.workspace })}` : "";
  const out = await viaServiceOrFolder(
    config,
    (running) => callService(running, config.dataDir, `/catalog${query}`),
    async (rt) => text(await exportCatalogTask(rt, o.workspace)),
  );
  if (o.out) {
    await writeFile(o.out, out.text);
    print(`catalog written to ${o.out}`);
  } else process.stdout.write(out.text);
}

export async function samplesImport(config: Config, print: Print, file: string): Promise<void> {
  await checkUserFile(file);
  const out = await viaServiceOrFolder(
    config,
    async (running) =>
      callService(running, config.dataDir, "/samples/import", {
        text: await readUserFile(file),
        fileName: file,
      }),
    // Without a service the file streams from disk, so its size does not matter.
    async (rt) => text(await importSamplesTask(rt, { input: createReadStream(file), fileName: file })),
  );
  printOutput(print, out);
}

export async function poll(
  config: Config,
  print: Print,
  source: string | undefined,
  backfill?: string,
): Promise<void> {
  const backfillDays = backfill === undefined ? undefined : parseBackfillDays(backfill);
  const out = await viaServiceOrFolder(
    config,
    (running) =>
      callService(running, config.dataDir, "/poll", {
        ...(source ? { source } : {}),
        ...(backfillDays === undefined ? {} : { backfillDays }),
      }),
    (rt) => pollTask(rt, source, backfillDays),
    { print, charts: true },
  );
  printOutput(print, out);
}

/** `clg sources test SOURCE`: each KPI's result, through the running service or on the data folder. */
export async function sourcesTest(config: Config, print: Print, source: string): Promise<void> {
  const out = await viaServiceOrFolder(
    config,
    (running) => callService(running, config.dataDir, "/sources/test", { source }),
    (rt) => testSourceTask(rt, source),
  );
  printOutput(print, out);
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

export async function digest(config: Config, print: Print, id: string | undefined): Promise<void> {
  const out = await viaServiceOrFolder(
    config,
    (running) =>
      id === undefined
        ? callService(running, config.dataDir, "/digest")
        : callService(running, config.dataDir, "/digest", { subscription: id }),
    async (rt) => text(await digestTask(rt, id)),
    { print, charts: true },
  );
  printOutput(print, out);
}

export async function serve(config: Config): Promise<void> {
  await assertPortFree(config.port, config.host);
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
