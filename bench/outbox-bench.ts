import { spawn } from "node:child_process";
import { minuteSlot } from "../src/app/cron-slot.ts";
import { deliverDue } from "../src/app/deliver-outbox.ts";
import { runMinute } from "../src/app/scheduled-jobs.ts";
import { createRuntime } from "../src/compose/runtime.ts";
import { parseConfig } from "../src/config/config.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { ensureWorkspace } from "../src/db/workspaces-repository.ts";
import { createLogger } from "../src/logging/create-logger.ts";

const SUBSCRIPTIONS = 1_000;
const CHANNELS = 100;

/**
 * 1,000 digest subscriptions due in one minute, 10 per channel over 100 channels, sent through the
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
    await ensureWorkspace(opened.db, { id: "local" });
    // Every subscription fires in the current minute: "* * * * *" and claimed for this slot.
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
          filter: "{}",
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
    // The outbox worker loop as the service runs it, two of them as two replicas would.
    const worker = async () => {
      while ((await stats()).count < SUBSCRIPTIONS) {
        const r = await deliverDue(rt, { limit: 50 });
        if (r.claimed === 0) await new Promise((res) => setTimeout(res, 50));
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
    print(`RSS at the end        ${Math.round(process.memoryUsage().rss / 1_048_576)} MB`);
    print(`pace violations       ${s.paceViolations}`);
  } finally {
    if (databaseUrl) await opened.db.schema.dropSchema(schema).ifExists().cascade().execute();
    await opened.close();
    child.kill("SIGTERM");
  }
}
