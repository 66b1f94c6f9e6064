import { join } from "node:path";
import { Command } from "commander";
import { type Config, parseConfig } from "../config/config.ts";
import { askRunningService, errorJson, printAnswer } from "./ask-command.ts";
import { formatCliError } from "./report-error.ts";

const print = (text: string) => process.stdout.write(`${text}\n`);
const printErr = (text: string) => process.stderr.write(`${text}\n`);
// The commands load the database, chart and connector code only when they run, so `clg ask` against a
// running service starts fast.
const actions = () => import("./actions.ts");

export function buildCli(config: () => Config): Command {
  const program = new Command("clg")
    .description("clg-bot: Customer-Led Growth KPIs in Slack, Teams and your terminal")
    .showHelpAfterError();

  program
    .command("migrate")
    .description("apply every pending migration (or roll back with --down)")
    .option("--down <steps>", 'roll back this many migrations, or "all"')
    .option("--status", "only show whether migrations are current (and what was rolled back)")
    .option("--yes", "with --down: roll back even though tables hold data (it says what is lost)")
    .action(async (o: { down?: string; status?: boolean; yes?: boolean }) =>
      (await actions()).migrate(config(), print, o),
    );

  const catalog = program.command("catalog").description("the KPI catalog as code");
  catalog
    .command("apply <file>")
    .description("make the database match a catalog file (YAML or JSON), in one transaction")
    .option("--dry-run", "print what would change and change nothing")
    .option("--prune", "also delete what the file no longer has (never subscriptions made in chat)")
    .option("--workspace <id>", "the workspace to apply to, e.g. slack:T0123 (default: CLG_WORKSPACE)")
    .action(async (file: string, o: { dryRun?: boolean; prune?: boolean; workspace?: string }) =>
      (await actions()).catalogApply(config(), print, file, o),
    );
  catalog
    .command("export")
    .description("write the current catalog as YAML (export, then apply, changes nothing)")
    .option("-o, --out <file>", "write to a file instead of stdout")
    .option("--workspace <id>", "the workspace to export, e.g. slack:T0123 (default: CLG_WORKSPACE)")
    .action(async (o: { out?: string; workspace?: string }) =>
      (await actions()).catalogExport(config(), print, o),
    );

  program
    .command("samples")
    .description("daily history")
    .command("import <file>")
    .description(
      "load daily history from CSV (kpi, day, value | numerator, denominator | score, [segment]); idempotent",
    )
    .action(async (file: string) => (await actions()).samplesImport(config(), print, file));

  program
    .command("poll [source]")
    .description("poll one source (or all) now, evaluate, and send what is due")
    .option("--backfill <days>", "fetch this much history again for every KPI, e.g. 400d")
    .action(async (source: string | undefined, o: { backfill?: string }) =>
      (await actions()).poll(config(), print, source, o.backfill),
    );

  program
    .command("sources")
    .description("the data sources")
    .command("test <source>")
    .description("fetch each KPI of a source over its last 3 days, store nothing, and say what worked")
    .action(async (source: string) => (await actions()).sourcesTest(config(), print, source));

  program
    .command("secrets")
    .description("stored credentials")
    .command("rotate")
    .description(
      "re-encrypt every stored secret from CLG_SECRET_KEY to CLG_NEW_SECRET_KEY, in one transaction",
    )
    .action(async () => (await actions()).secretsRotate(config(), print));

  program
    .command("ask <text...>")
    .description('answer as the bot would, e.g. clg ask "activation 28d"')
    .option("--channel <name>", "the local channel asking", "general")
    .option("--charts <folder>", "where to write chart PNGs (default: <CLG_DATA_DIR>/charts)")
    .option("--json", "print only JSON on stdout: the message model and the chart files")
    .action(async (words: string[], o: { channel: string; charts?: string; json?: boolean }) => {
      try {
        const cfg = config();
        const text = words.join(" ");
        const answer =
          (cfg.databaseUrl ? null : await askRunningService(cfg.dataDir, text, o.channel)) ??
          (await (await actions()).askInDataFolder(cfg, text, o.channel));
        const chartsFolder = o.charts ?? join(cfg.dataDir, "charts");
        const { failed } = await printAnswer(
          answer,
          { chartsFolder, json: o.json },
          { out: print, err: printErr },
        );
        // An answer that is a refusal ("too long", "unknown KPI") is a failure for scripts too.
        if (failed) process.exitCode = 1;
      } catch (error) {
        if (o.json) print(errorJson(error));
        throw error;
      }
    });

  program
    .command("digest [subscription]")
    .description("send a digest now to one subscription (by id), or print the digest when none is given")
    .action(async (id: string | undefined) => (await actions()).digest(config(), print, id));

  program
    .command("serve")
    .description("run the service (the same as npm start)")
    .action(async () => (await actions()).serve(config()));

  return program;
}

/** Runs one CLI invocation; errors print as one clear message and a non-zero exit code. */
export async function runCli(argv: readonly string[]): Promise<void> {
  // `clg ask board | head` closes the pipe early; that is not an error.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  try {
    await buildCli(() => parseConfig()).parseAsync([...argv]);
  } catch (error) {
    process.stderr.write(`${formatCliError(error, Boolean(process.env.CLG_DEBUG))}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1]?.endsWith("cli/main.ts")) await runCli(process.argv);
