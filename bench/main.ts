import { cpus, loadavg } from "node:os";
import { runBackfillBench } from "./backfill-bench.ts";
import { runChartBench } from "./charts/chart-bench.ts";
import { runEvaluateBench } from "./evaluate-bench.ts";
import { runEvaluateDbBench } from "./evaluate-db.ts";
import { runImportBench } from "./import-csv.ts";
import { runOutboxBench } from "./outbox-bench.ts";
import { runSlackBench } from "./slack-bench.ts";

/**
 * `npm run bench [evaluate|charts|backfill|import|outbox|slack]`: the figures the issues ask for, in one run. Medians and ratios are
 * the comparison; the load average is printed because this machine is shared.
 */
const only = process.argv[2];
const print = (line: string) => process.stdout.write(`${line}\n`);

print(
  `# clg-bot bench · ${new Date().toISOString()} · node ${process.version} · ${cpus().length} cores · load ${loadavg()[0]?.toFixed(1)}`,
);

if (!only || only === "evaluate") {
  print("\n## Evaluation in memory (every window, status, pacing, anomaly, forecast)");
  print("KPIs     evaluations  index ms  evaluate ms");
  const pure: Record<number, number> = {};
  for (const n of [1_000, 10_000]) {
    const r = await runEvaluateBench(n);
    pure[n] = r.ms;
    print(
      `${String(n).padEnd(8)} ${String(r.evaluations).padEnd(12)} ${String(r.indexMs).padEnd(9)} ${r.ms}`,
    );
  }
  const growth = (pure[10_000] ?? 0) / Math.max(1, pure[1_000] ?? 1);
  print(`growth 1k -> 10k: ${growth.toFixed(1)}x (linear = 10x)`);

  print("\n## Evaluation from the database (samples read, indexed and evaluated as the service does)");
  await runEvaluateDbBench({ print });
}

if (!only || only === "import") {
  print("\n## CSV import (streamed in batches, one transaction, PostgreSQL)");
  await runImportBench({ print });
}

if (!only || only === "outbox") {
  await runOutboxBench(print);
}

if (!only || only === "slack") {
  await runSlackBench({ print });
}

if (!only || only === "charts") {
  print("\n## Charts");
  await runChartBench();
}

if (!only || only === "backfill") {
  print("\n## Backfill (clg poll SOURCE --backfill 400d)");
  await runBackfillBench(print);
}
