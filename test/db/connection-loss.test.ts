import { randomBytes } from "node:crypto";
import { connect, createServer, type Socket } from "node:net";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHealth } from "../../src/app/health.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { openDatabase } from "../../src/db/database.ts";
import { migrateToLatest } from "../../src/db/migrate.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import { testDatabaseUrl } from "../support/test-db.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

const server = testDatabaseUrl();
// Only this file's connections carry this name; other tests on the same server are left alone.
const APP = `clg_loss_${randomBytes(4).toString("hex")}`;

let rt: TestRuntime;
let killer: pg.Client;

beforeAll(async () => {
  if (!server) return;
  rt = await openTestRuntime({ applicationName: APP });
  killer = new pg.Client({ connectionString: server });
  await killer.connect();
});
afterAll(async () => {
  await killer?.end();
  await rt?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(server)("losing PostgreSQL connections", () => {
  it("survives backends terminated while commands and schedules run, then works again", async () => {
    let killed = 0;
    let running = true;
    const kill = (async () => {
      while (running) {
        const r = await killer.query(
          "select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()",
          [APP],
        );
        killed += r.rows[0]?.n ?? 0;
        await sleep(15);
      }
    })();
    const outcomes = { ok: 0, failed: 0 };
    const count = (p: Promise<unknown>) =>
      p.then(
        () => outcomes.ok++,
        () => outcomes.failed++,
      );
    const work = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await Promise.all([
          count(askLocal(rt, { text: "board", channel: "loss", user: "u" })),
          count(askLocal(rt, { text: `subscribe digest daily at ${i % 24}`, channel: "loss", user: "u" })),
          count(askLocal(rt, { text: "unsubscribe digest", channel: "loss", user: "u" })),
          count(runMinute(rt, "local", new Date(Date.UTC(2026, 10, 23, 11, i)))),
          count(sql`select pg_sleep(0.02)`.execute(rt.db)),
        ]);
      }
    };
    await work(15);
    running = false;
    await kill;
    expect(killed).toBeGreaterThan(0);
    expect(outcomes.ok + outcomes.failed).toBe(75);
    // The last terminations reach their sockets a moment after the killer's statement returns.
    await sleep(300);
    // The pool replaces what was lost: everything works again without a restart.
    const board = await askLocal(rt, { text: "board", channel: "loss", user: "u" });
    expect(board.message.tone).not.toBe("error");
    const r = await sql<{ n: number }>`select 1 as n`.execute(rt.db);
    expect(r.rows[0]?.n).toBe(1);
  });

  it("reports the database unreachable to /healthz (503, with the reason) during an outage, and recovers without a restart", async () => {
    // A TCP relay in front of the server: closing it is an outage, listening again ends it.
    const target = new URL(server ?? "");
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
        s.on("close", () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    const listen = (port = 0) =>
      new Promise<number>((resolve) =>
        relay.listen(port, "127.0.0.1", () => resolve((relay.address() as { port: number }).port)),
      );
    const port = await listen();
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const through = new URL(server ?? "");
    through.host = `127.0.0.1:${port}`;
    const opened = await openDatabase({
      url: through.toString(),
      searchPath: schema,
      connectTimeoutMs: 2_000,
    });
    try {
      await migrateToLatest(opened.db);
      expect(await checkHealth(opened.db)).toMatchObject({ ok: true });

      await new Promise<void>((resolve) => {
        relay.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      const down = await checkHealth(opened.db);
      expect(down).toMatchObject({ ok: false, checks: { database: "unreachable" } });
      expect(down.detail).toMatch(/ECONNREFUSED|terminated|closed/i);

      await listen(port);
      expect(await checkHealth(opened.db)).toMatchObject({ ok: true });
      await sql`drop schema ${sql.id(schema)} cascade`.execute(opened.db);
    } finally {
      await opened.close();
      relay.close();
    }
  });
});
