import { spawn } from "node:child_process";
import { bootstrapWorkspace } from "../src/app/bootstrap.ts";
import { minuteSlot } from "../src/app/cron-slot.ts";
import { deliverDue } from "../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../src/app/evaluate-workspace.ts";
import { runMinute } from "../src/app/scheduled-jobs.ts";
import { loadWorkspaceCatalog } from "../src/app/workspace-catalog.ts";
import { createRuntime } from "../src/compose/runtime.ts";
import { parseConfig } from "../src/config/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { STAGES } from "../src/kpi/stage.ts";
import { createLogger } from "../src/logging/create-logger.ts";

const SUBSCRIPTIONS = 1_000;
const CHANNELS = 100;

/**
 * 1,000 digest subscriptions due in one minute (ten distinct digests of the default catalog on the demo
 * data), 10 per channel over 100 channels, sent through the
 * production path (slot claims, outbox claims, pacing) to the chat stand-in at Slack's 1 message per
 * second per channel. Reports the time until the last post (floor: 9 s, the 10th post of a channel), the
 * service's own CPU per message and its RSS at the end. The stand-in runs in another process.
 */
export async function runOutboxBench(print: (line: string) => void): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/chat-stand-in-process.ts"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve) =>
    child.stdout?.once("data", (d) => resolve(String(d).trim())),
  );
  const databaseUrl = process.env.TEST_DATABASE_URL || null;
  const schema = `bench_${process.pid}`;
  const opened = await openDatabase({ url: databaseUrl, dataDir: null, searchPath: schema });
  try {
    await migrateToLatest(opened.db);
    const config = parseConfig({ CLG_DATA_DIR: ":memory:", CLG_TEST_CHAT_URL: url, LOG_LEVEL: "silent" });
    const rt = createRuntime(config, opened, {
      logger: createLogger("silent"),
      charts: false,
      print: null,
      sinkFolder: null,
    });
    // The default catalog on the demo's history, evaluated, as a fresh install has it.
    await bootstrapWorkspace(rt.pollDeps, rt.config, {});
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
    // Every subscription fires in the current minute ("* * * * *"). A channel's ten subscriptions differ by
    // filter (everything, each of the seven stages, two KPIs), so the minute holds ten distinct digests.
    const filters = [{}, ...STAGES.map((stage) => ({ stage })), { kpi: "activation" }, { kpi: "trials" }];
    await opened.db
      .insertInto("subscriptions")
      .values(
        Array.from({ length: SUBSCRIPTIONS }, (_, i) => ({
          workspace: "local",
          platform: "slack",
          channel: `ch-${i % CHANNELS}`,
          kind: "digest" as const,
          cron: "* * * * *",
          timezone: "UTC",
          locale: "en-US",
          filter: JSON.stringify(filters[Math.floor(i / CHANNELS) % filters.length]),
          created_by: "bench",
        })),
      )
      .execute();
    const stats = async () =>
      (await (await fetch(`${url}/stats`)).json()) as {
        count: number;
        lastAt: number | null;
        paceViolations: number;
      };
    const started = Date.now();
    const cpu0 = process.cpuUsage();
    await runMinute(rt, "local", minuteSlot(new Date()));
    const queuedMs = Date.now() - started;
    const cpuQueued = process.cpuUsage(cpu0);
    // The outbox worker loop as the service runs it, two of them as two replicas would.
    // The stand-in is asked how far it got only while the channels wait for their pace, so the harness's
    // own requests stay out of the CPU figure as far as they can.
    const worker = async () => {
      for (;;) {
        const r = await deliverDue(rt, { limit: 50 });
        if (r.claimed > 0) continue;
        if ((await stats()).count >= SUBSCRIPTIONS) return;
        await new Promise((res) => setTimeout(res, 250)); // the service's idle wait (OUTBOX_IDLE_MS)
      }
    };
    await Promise.all([worker(), worker()]);
    const cpu = process.cpuUsage(cpu0);
    const s = await stats();
    const lastMs = (s.lastAt ?? Date.now()) - started;
    print("\n## Outbox: 1,000 digests due in one minute, 100 channels, Slack's 1/s per channel");
    print(
      `database              ${databaseUrl ? "PostgreSQL (CPU below is the service's own)" : "PGlite (CPU below includes the embedded database)"}`,
    );
    print(`queued (slot claims)  ${(queuedMs / 1000).toFixed(1)} s`);
    print(`until the last post   ${(lastMs / 1000).toFixed(1)} s (floor 9 s: 10 posts a channel, 1 s apart)`);
    print(
      `CPU per message       ${((cpu.user + cpu.system) / 1000 / SUBSCRIPTIONS).toFixed(2)} ms (goal <= 5 ms)`,
    );
    const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000 / SUBSCRIPTIONS;
    print(
      `  of which queueing    ${ms(cpuQueued).toFixed(2)} ms (composing ten digests, 1,000 slot claims + rows)`,
    );
    print(
      `  of which sending     ${(ms(cpu) - ms(cpuQueued)).toFixed(2)} ms (claims, pacing, the request, marking)`,
    );
    print(`RSS at the end        ${Math.round(process.memoryUsage().rss / 1_048_576)} MB`);
    print(`pace violations       ${s.paceViolations}`);
  } finally {
    if (databaseUrl) await opened.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await opened.close();
    child.kill("SIGTERM");
  }
}
