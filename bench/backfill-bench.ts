import { randomBytes } from "node:crypto";
import pg from "pg";
import { fixedClock } from "../src/app/clock.ts";
import { pollSource } from "../src/app/poll-source.ts";
import { buildWorkspaceCatalog } from "../src/app/workspace-catalog.ts";
import { connectorFor } from "../src/connectors/registry.ts";
import { STRIPE_METRICS } from "../src/connectors/stripe/stripe-config.ts";
import { encryptSecret } from "../src/crypto/secret-box.ts";
import { openDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { getSource, saveSource, sourceSecretContext } from "../src/db/sources-repository.ts";
import { ensureWorkspace } from "../src/db/workspaces-repository.ts";
import { addDays } from "../src/kpi/days.ts";
import { type KpiDefinition, kpiDefinitionSchema } from "../src/kpi/definition.ts";
import { createLogger } from "../src/logging/create-logger.ts";
import { type FakeSub, openStripeStandIn } from "../test/connectors/stripe/stripe-stand-in.ts";

const KPIS = 100;
const DAYS = 400;
const NOW = new Date("2026-11-23T06:00:00Z");
const UNTIL = "2026-11-22";
const KEY = "b".repeat(32);
const STRIPE_KEY = "rk_test_bench000000000000000000";

/** Peak resident memory while `work` runs, sampled every 20 ms. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ result: T; ms: number; peakMb: number; startMb: number }> {
  const startMb = process.memoryUsage().rss / 2 ** 20;
  let peak = startMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
  }, 20);
  const t0 = performance.now();
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss / 2 ** 20);
    return {
      result,
      ms: Math.round(performance.now() - t0),
      peakMb: Math.round(peak),
      startMb: Math.round(startMb),
    };
  } finally {
    clearInterval(timer);
  }
}

function kpi(i: number, source: string, kind: string, query: Record<string, unknown>): KpiDefinition {
  return kpiDefinitionSchema.parse({
    slug: `k${i}`,
    name: `KPI ${i}`,
    stage: "value_growth",
    unit: "count",
    direction: "up",
    aggregation: { kind },
    source,
    query,
  });
}

/** Backfills `kpis` of one source into a fresh in-memory store (PGlite) and reports the figures. */
async function backfill(
  name: string,
  kind: "sql" | "stripe",
  config: Record<string, unknown>,
  secret: string,
  kpis: KpiDefinition[],
) {
  const opened = await openDatabase({ dataDir: null });
  try {
    await migrateToLatest(opened.db);
    await ensureWorkspace(opened.db, { id: "bench", timezone: "UTC" });
    await saveSource(
      opened.db,
      "bench",
      {
        name,
        kind,
        schedule: "0 * * * *",
        config,
        secretEnv: "BENCH_SECRET",
        secretCiphertext: encryptSecret(secret, KEY, sourceSecretContext("bench", name)),
      },
      NOW,
    );
    const row = await getSource(opened.db, "bench", name);
    if (!row) throw new Error("source not saved");
    const deps = {
      db: opened.db,
      clock: fixedClock(NOW),
      logger: createLogger("silent"),
      connectorFor,
      fetch,
      secretKey: KEY,
    };
    const catalog = buildWorkspaceCatalog("bench", "UTC", kpis);
    return await measured(() => pollSource(deps, catalog, row, { backfillDays: DAYS }));
  } finally {
    await opened.close();
  }
}

async function sqlBench(print: (l: string) => void): Promise<void> {
  const url =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    "postgres://postgres@127.0.0.1:5432/test";
  const schema = `bench_src_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (e) {
    print(
      `sql      skipped: no PostgreSQL at ${url.replace(/:[^:@/]*@/, ":***@")} (${e instanceof Error ? e.message : String(e)})`,
    );
    return;
  }
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(
      `CREATE TABLE ${schema}.daily (kpi int, day date, value float8, PRIMARY KEY (kpi, day))`,
    );
    await client.query(
      `INSERT INTO ${schema}.daily SELECT k, d::date, (k * 7 + extract(doy from d))::float8
       FROM generate_series(0, ${KPIS - 1}) k, generate_series($1::date - ${DAYS + 10}, $1::date, '1 day') d`,
      [UNTIL],
    );
    const kpis = Array.from({ length: KPIS }, (_, i) =>
      kpi(i, "product_db", "count", {
        sql: `SELECT day, value FROM ${schema}.daily WHERE kpi = ${i} AND day BETWEEN :since AND :until`,
      }),
    );
    const r = await backfill("product_db", "sql", { dialect: "postgres" }, url, kpis);
    report(print, "sql", r);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await client.end();
  }
}

async function stripeBench(print: (l: string) => void): Promise<void> {
  // 3,000 customers over 420 days: monthly and annual plans, some with a second subscription, a fifth cancelled.
  const subs: FakeSub[] = [];
  let seed = 7;
  const rand = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let c = 0; c < 3000; c++) {
    const start = addDays(UNTIL, -Math.floor(rand() * 420));
    const annual = rand() < 0.2;
    const ended = rand() < 0.2 ? addDays(start, 30 + Math.floor(rand() * 200)) : undefined;
    subs.push({
      id: `sub_${c}`,
      customer: `cus_${c}`,
      items: [
        {
          amount: annual ? 49000 : 4900,
          interval: annual ? "year" : "month",
          quantity: 1 + Math.floor(rand() * 3),
        },
      ],
      start,
      ...(ended && ended < UNTIL ? { endedAt: ended } : {}),
    });
    if (rand() < 0.1)
      subs.push({
        id: `sub_${c}_b`,
        customer: `cus_${c}`,
        items: [{ amount: 1500, interval: "month" }],
        start: addDays(start, 20),
      });
  }
  const api = await openStripeStandIn(subs, STRIPE_KEY, { pageSize: 100 });
  try {
    const kpis = Array.from({ length: KPIS }, (_, i) => {
      const metric = STRIPE_METRICS[i % STRIPE_METRICS.length] as string;
      return kpi(i, "billing", metric === "mrr" || metric === "customers" ? "latest" : "sum", { metric });
    });
    const r = await backfill("billing", "stripe", { currency: "usd", api_base: api.url }, STRIPE_KEY, kpis);
    report(print, `stripe (${subs.length} subscriptions, ${api.requests.length} list pages)`, r);
  } finally {
    await api.close();
  }
}

function report(print: (l: string) => void, what: string, r: Awaited<ReturnType<typeof backfill>>) {
  const o = r.result;
  const detail = o.ok
    ? `${o.samples} samples, ${o.written} written, ${o.since} → ${o.until}`
    : `FAILED: ${o.error}`;
  print(`${what}: ${r.ms} ms · peak RSS ${r.peakMb} MB (from ${r.startMb} MB) · ${detail}`);
}

/** `npm run bench backfill`: a 400-day backfill of 100 KPIs from the SQL source and from the Stripe stand-in. */
export async function runBackfillBench(print: (l: string) => void): Promise<void> {
  print(`${KPIS} KPIs x ${DAYS} days, stored in PGlite (in memory)`);
  await sqlBench(print);
  await stripeBench(print);
}
