import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { openTestDb, testDatabaseUrl } from "../support/test-db.ts";

/**
 * SIGTERM while a query waits on a lock that another session holds: a replica stopped (SIGSTOP, a long GC,
 * a frozen VM) in the middle of claiming the same digest slot keeps its uncommitted claim, and with it the
 * lock, for as long as its connection lives. The service must still stop within its bounds and exit 0;
 * the slot stays open for the replicas that remain. Needs a real server (a second process).
 */
const url = testDatabaseUrl();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(Boolean(url))("SIGTERM with a query stuck on another session's lock", () => {
  it("stops within its bounds and exits 0", async () => {
    if (!url) throw new Error("TEST_DATABASE_URL is not set");
    const t = await openTestDb();
    cleanups.push(() => t.close());
    const dataDir = mkdtempSync(join(tmpdir(), "clg-term-"));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    await ensureWorkspace(t.db, { id: "local" });
    // A digest of the minute that just passed: the service's first schedules tick catches it up.
    const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 60_000);
    const sub = await t.db
      .insertInto("subscriptions")
      .values({
        workspace: "local",
        platform: "local",
        channel: "stuck",
        kind: "digest",
        cron: `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`,
        timezone: "UTC",
        filter: "{}",
        created_by: "test",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // The stalled peer: its claim of that slot is written, not committed, and it holds the lock.
    const peer = new pg.Client({ connectionString: url, options: `-c search_path=${t.schema}` });
    await peer.connect();
    cleanups.push(() => peer.end());
    await peer.query("begin");
    await peer.query("insert into schedule_runs (job, slot, claimed_by) values ($1, $2, 'stalled-peer')", [
      `digest:local:${sub.id}`,
      slot,
    ]);

    const dbUrl = new URL(url);
    dbUrl.searchParams.set("options", `-c search_path=${t.schema}`);
    dbUrl.searchParams.set("application_name", `clg-term-${t.schema}`);
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        DATABASE_URL: dbUrl.toString(),
        CLG_DATA_DIR: join(dataDir, "svc"),
        CLG_DEMO: "off",
        PORT: "0",
        HOST: "127.0.0.1",
        LOG_LEVEL: "info",
        CLG_SHUTDOWN_GRACE_SECONDS: "2",
        CLG_SCHEDULE_CATCH_UP_MINUTES: "5",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });
    const output: string[] = [];
    child.stdout?.on("data", (d) => output.push(String(d)));
    child.stderr?.on("data", (d) => output.push(String(d)));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    const deadline = Date.now() + 90_000;
    while (!output.join("").includes("clg-bot is ready")) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the service did not start:\n${output.join("").slice(-3000)}`);
      await sleep(100);
    }
    // Wait until the service's claim of the slot waits on the peer's lock.
    const waiting = async () =>
      Number(
        (
          await peer.query(
            `select count(*)::int as n from pg_stat_activity
             where wait_event_type = 'Lock' and application_name = $1`,
            [`clg-term-${t.schema}`],
          )
        ).rows[0]?.n,
      );
    while ((await waiting()) === 0) {
      if (Date.now() > deadline) {
        const act = await peer.query(
          "select state, wait_event_type, left(query, 100) as q from pg_stat_activity where application_name = $1",
          [`clg-term-${t.schema}`],
        );
        throw new Error(
          `the slot claim never waited on the peer; the service's sessions: ${JSON.stringify(act.rows)}`,
        );
      }
      await sleep(200);
    }

    const termAt = Date.now();
    child.kill("SIGTERM");
    const code = await Promise.race([exited, sleep(30_000).then(() => "still running" as const)]);
    const tookMs = Date.now() - termAt;
    const log = output
      .join("")
      .split("\n")
      .filter((l) => /"level":(40|50)|shutting|stopped/.test(l))
      .join("\n");
    expect(code, log).toBe(0);
    // Grace (2 s), the loops' bound (2 s), HTTP and the database close's own wait (2 s), with room for a slow machine.
    expect(tookMs).toBeLessThan(15_000);
    // The peer's claim was never taken over: the slot is the peer's to finish, or open again if it dies.
    await peer.query("rollback");
    expect(
      await t.db
        .selectFrom("schedule_runs")
        .select("job")
        .where("job", "=", `digest:local:${sub.id}`)
        .execute(),
    ).toEqual([]);
  }, 180_000);
});
