import { createHmac, randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { serve } from "@hono/node-server";
import { sql } from "kysely";
import { fixedClock } from "../src/app/clock.ts";
import { createRuntime } from "../src/compose/runtime.ts";
import { type SlackParts, startSlackService } from "../src/compose/slack.ts";
import { parseConfig } from "../src/config/config.ts";
import { type OpenedDatabase, openDatabase } from "../src/db/database.ts";
import { createLogger } from "../src/logging/create-logger.ts";
import { startSlackApiStandIn } from "../test/support/slack-api-stand-in.ts";
import { seedDatabase } from "./evaluate-db/seed-database.ts";
import { NOW, syntheticKpis } from "./synthetic-kpis.ts";

const SECRET = "bench-signing-secret";
const WORKSPACE = "slack:TBENCH";

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
  const api = await startSlackApiStandIn();
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
    SLACK_API_URL: api.apiUrl,
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
  let next = 0;
  const ask = async (text: string, user: string) => {
    const id = `q${next++}`;
    const body = new URLSearchParams({
      team_id: "TBENCH",
      channel_id: "C1",
      user_id: user,
      command: "/clg",
      text,
      response_url: api.responseUrl(id),
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
    const started = Date.now();
    const res = await fetch(`${base}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": signature,
      },
      body,
    });
    await res.arrayBuffer();
    const ackMs = Date.now() - started;
    if (res.status !== 200) throw new Error(`answered ${res.status}`);
    for (;;) {
      const answer = api.calls.find((c) => c.method === "response_url" && c.path === `/response/${id}`);
      if (answer) {
        const image = JSON.stringify(answer.params.blocks ?? []).includes('"slack_file"');
        return { ackMs, fullMs: answer.at - started, image };
      }
      if (Date.now() - started > 30_000) throw new Error(`no answer to ${id} within 30 s`);
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  try {
    const cold = await ask("activation", "U0");
    print(
      `  first request (cold: catalog, chart render): ack ${cold.ackMs} ms, full answer ${cold.fullMs} ms`,
    );
    for (let i = 0; i < 3; i++) await ask("activation", "U0");
    const alone: Awaited<ReturnType<typeof ask>>[] = [];
    for (let i = 0; i < 10; i++) alone.push(await ask("activation", "U0"));
    print(
      line(
        "one person alone: ack",
        alone.map((r) => r.ackMs),
      ),
    );
    print(
      line(
        "one person alone: full answer",
        alone.map((r) => r.fullMs),
      ),
    );
    const results: Awaited<ReturnType<typeof ask>>[] = [];
    const wall = Date.now();
    await Promise.all(
      Array.from({ length: users }, async (_, u) => {
        for (let i = 0; i < perUser; i++) results.push(await ask("activation", `U${u + 1}`));
      }),
    );
    const seconds = (Date.now() - wall) / 1000;
    print(
      line(
        `${users} at once: to Bolt's ack (HTTP 200)`,
        results.map((r) => r.ackMs),
      ),
    );
    print(
      line(
        `${users} at once: full answer with chart`,
        results.map((r) => r.fullMs),
      ),
    );
    print(
      `  ${results.filter((r) => r.image).length}/${results.length} answers carried the uploaded chart; ` +
        `${(results.length / seconds).toFixed(1)} answers/s; the chart is rendered once and then served ` +
        "from the chart store (same content hash), uploaded for every answer",
    );
    print(
      `  goals: ack p99 < 100 ms, full answer p95 < 500 ms (2-core machine); load average now ${loadavg()[0]?.toFixed(1)}`,
    );
  } finally {
    await slack.stop();
    await new Promise((resolve) => server.close(resolve));
    await rt.close();
    await api.close();
  }
}
