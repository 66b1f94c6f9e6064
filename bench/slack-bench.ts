import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { serve } from "@hono/node-server";
import { sql } from "kysely";
import { fixedClock } from "../src/app/clock.ts";
import { createRuntime } from "../src/compose/runtime.ts";
import { type SlackParts, startSlackService } from "../src/compose/slack.ts";
import { parseConfig } from "../src/config/config.ts";
import { type OpenedDatabase, openDatabase } from "../src/db/database.ts";
import { createLogger } from "../src/logging/create-logger.ts";
import { seedDatabase } from "./evaluate-db/seed-database.ts";
import { NOW, syntheticKpis } from "./synthetic-kpis.ts";

const SECRET = "bench-signing-secret";
const WORKSPACE = "slack:TBENCH";

interface Timing {
  ackMs: number;
  fullMs: number;
  image: boolean;
  /** Which of the person's requests it was (0 = the first, sent by everyone in the same instant). */
  round?: number;
}

export interface SlackBenchOptions {
  print: (line: string) => void;
  kpis?: number;
  users?: number;
  /** Requests each user sends, one after the other. */
  perUser?: number;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}
const line = (label: string, xs: readonly number[]) =>
  `  ${label.padEnd(42)} median ${percentile(xs, 50).toFixed(0).padStart(5)} ms  p95 ${percentile(xs, 95)
    .toFixed(0)
    .padStart(5)} ms  p99 ${percentile(xs, 99).toFixed(0).padStart(5)} ms  (n=${xs.length})`;

async function openBenchDatabase(print: (l: string) => void): Promise<OpenedDatabase> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    print(
      "  database: PGlite (set BENCH_DATABASE_URL or TEST_DATABASE_URL for PostgreSQL, as the goal asks)",
    );
    return openDatabase({ dataDir: null });
  }
  const schema = `bench_slack_${randomBytes(4).toString("hex")}`;
  const admin = await openDatabase({ url, connectTimeoutMs: 3000, maxConnections: 1 });
  await sql`create schema ${sql.id(schema)}`.execute(admin.db);
  await admin.close();
  print(`  database: PostgreSQL (schema ${schema})`);
  const opened = await openDatabase({ url, searchPath: schema, maxConnections: 10 });
  return {
    ...opened,
    async close() {
      await sql`drop schema ${sql.id(schema)} cascade`.execute(opened.db).catch(() => {});
      await opened.close();
    },
  };
}

/**
 * `/clg activation` from 20 people at once, signed as Slack signs, against the real Bolt app on the
 * Slack routes the service mounts, with 1,000 KPIs and two years of daily samples: the time to Bolt's ack
 * (the HTTP answer) and to the full answer with its chart uploaded (files.uploadV2) and posted to
 * response_url at the Web API stand-in.
 */
export async function runSlackBench(opts: SlackBenchOptions): Promise<void> {
  const { print } = opts;
  const kpis = opts.kpis ?? 1_000;
  const users = opts.users ?? 20;
  const perUser = opts.perUser ?? Number(process.env.SLACK_BENCH_PER_USER ?? 10);
  print(`\n## Slack: signed /clg activation, ${users} concurrent users x ${perUser}, ${kpis} KPIs x 2 years`);
  const child = spawn(process.execPath, ["--import", "tsx", "bench/slack-load-process.ts"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const out = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const nextLine = () => new Promise<string>((resolve) => out.once("line", resolve));
  const { apiUrl } = JSON.parse(await nextLine()) as { apiUrl: string };
  const opened = await openBenchDatabase(print);
  const defs = syntheticKpis(kpis).map((d, i) =>
    i === 2 ? { ...d, slug: "activation", name: "Activation" } : d,
  );
  const seed = await seedDatabase(opened.db, WORKSPACE, defs, {
    concurrency: opened.kind === "postgres" ? 2 : 1,
  });
  await sql`analyze samples`.execute(opened.db);
  print(`  seeded ${seed.samples} samples in ${seed.samplesMs} ms`);
  const config = parseConfig({
    CLG_DATA_DIR: ":memory:",
    LOG_LEVEL: "silent",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_API_URL: apiUrl,
  });
  const rt = createRuntime(config, opened, {
    clock: fixedClock(NOW),
    logger: createLogger("silent"),
    print: null,
    sinkFolder: null,
  });
  const slack = startSlackService(rt, rt.slack as SlackParts);
  const routes = slack.routes;
  if (!routes) throw new Error("the Slack routes are missing");
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: routes.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const cpuBefore = process.cpuUsage();
  try {
    child.stdin?.write(`${JSON.stringify({ base, secret: SECRET, users, perUser, text: "activation" })}\n`);
    const r = JSON.parse(await nextLine()) as {
      cold: Timing;
      alone: Timing[];
      together: Timing[];
      seconds: number;
      cpuMs: number;
    };
    const cpu = process.cpuUsage(cpuBefore);
    const answers = 14 + r.together.length;
    print(
      `  first request (cold: catalog, chart render): ack ${r.cold.ackMs} ms, full answer ${r.cold.fullMs} ms`,
    );
    print(
      line(
        "one person alone: ack",
        r.alone.map((t) => t.ackMs),
      ),
    );
    print(
      line(
        "one person alone: full answer",
        r.alone.map((t) => t.fullMs),
      ),
    );
    print(
      line(
        `${users} at once: to Bolt's ack (HTTP 200)`,
        r.together.map((t) => t.ackMs),
      ),
    );
    const later = r.together.filter((t) => (t.round ?? 0) > 0);
    print(
      line(
        `  after the first burst: ack`,
        later.map((t) => t.ackMs),
      ),
    );
    print(
      line(
        `${users} at once: full answer with chart`,
        r.together.map((t) => t.fullMs),
      ),
    );
    print(
      `  ${r.together.filter((t) => t.image).length}/${r.together.length} answers carried the uploaded chart; ` +
        `${(r.together.length / r.seconds).toFixed(1)} answers/s; service CPU ${((cpu.user + cpu.system) / 1000 / answers).toFixed(0)} ms ` +
        "an answer; the chart is rendered once, then served from the chart store (same content hash) and uploaded for every answer",
    );
    print(
      `  the people and the Web API stand-in (other process): CPU ${(r.cpuMs / answers).toFixed(0)} ms an answer`,
    );
    print(
      `  goals: ack p99 < 100 ms, full answer p95 < 500 ms (2-core machine); load average now ${loadavg()[0]?.toFixed(1)}`,
    );
  } finally {
    child.kill();
    await slack.stop();
    await new Promise((resolve) => server.close(resolve));
    await rt.close();
  }
}
