import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { enqueueDelivery } from "../../src/db/deliveries-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { type StandInRecord, startChatStandIn } from "../support/chat-stand-in.ts";
import { openTestDb, type TestDb, testDatabaseUrl } from "../support/test-db.ts";

/**
 * Three service processes on one PostgreSQL database, a real minute of 200 digests plus a burst of alerts
 * (post, reply in its thread, update of its header) across 50 channels, sent through the test platform to
 * a local chat stand-in. Mid-run: one replica is SIGKILLed and restarted, one SIGSTOPped past its lease and
 * resumed, one SIGTERMed, and the database cuts every connection once. Needs a real server (several
 * processes), so it runs in the suite's PostgreSQL pass (TEST_DATABASE_URL); `.ci/run` always runs that
 * pass, and the PGlite pass leaves it out.
 */
const url = testDatabaseUrl();
/** Four stages, so the four digests of each channel are distinct subscriptions. */
const DIGEST_STAGES = ["problem", "interest", "activation", "value_realization"] as const;

const mustRun = Boolean(url);

const LEASE_SECONDS = 5;
const CHANNELS = 50;
const DIGESTS = 200;

interface Replica {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

const replicas: Replica[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (t: number) => sleep(Math.max(0, t - Date.now()));

function startReplica(name: string, env: Record<string, string>): Replica {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (d) => output.push(String(d)));
  child.stderr?.on("data", (d) => output.push(String(d)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const r = { name, child, output, exited };
  replicas.push(r);
  return r;
}

async function ready(r: Replica, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!r.output.join("").includes("clg-bot is ready")) {
    if (r.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`replica ${r.name} did not start:\n${r.output.join("").slice(-3000)}`);
    await sleep(100);
  }
}

describe.runIf(mustRun)("three replicas on one database deliver every message exactly once", () => {
  it("survives SIGKILL, SIGSTOP past the lease, SIGTERM and a cut of every connection", async () => {
    if (!url) throw new Error("TEST_DATABASE_URL is not set");
    const t: TestDb = await openTestDb();
    cleanups.push(() => t.close());
    const app = `clg-mr-${randomBytes(4).toString("hex")}`;
    const standIn = await startChatStandIn({
      minGapMs: 900,
      throttleFirst: { channels: new Set(["ch-0", "ch-1", "ch-2"]), retryAfterSeconds: 2 },
    });
    cleanups.push(() => standIn.close());
    const dataDir = mkdtempSync(join(tmpdir(), "clg-mr-"));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const dbUrl = new URL(url);
    dbUrl.searchParams.set("options", `-c search_path=${t.schema}`);
    dbUrl.searchParams.set("application_name", app);
    const env = (name: string) => ({
      DATABASE_URL: dbUrl.toString(),
      CLG_DATA_DIR: join(dataDir, name),
      CLG_DEMO: "off",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      CLG_TEST_CHAT_URL: standIn.url,
      CLG_DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
      CLG_SHUTDOWN_GRACE_SECONDS: "3",
      CLG_SCHEDULE_CATCH_UP_MINUTES: "5",
    });

    // The first replica applies the catalog; the others start on the applied workspace.
    await ensureWorkspace(t.db, { id: "local" });
    let a = startReplica("a", env("a"));
    await ready(a);
    const b = startReplica("b", env("b"));
    const c = startReplica("c", env("c"));
    await Promise.all([ready(b), ready(c)]);

    // Digests due in one real minute, at least 8 s away so every subscription exists before it starts.
    let t0 = Math.ceil(Date.now() / 60_000) * 60_000;
    if (t0 - Date.now() < 8_000) t0 += 60_000;
    const due = new Date(t0);
    const cron = `${due.getUTCMinutes()} ${due.getUTCHours()} * * *`;
    const subs = await t.db
      .insertInto("subscriptions")
      .values(
        Array.from({ length: DIGESTS }, (_, i) => ({
          workspace: "local",
          platform: "slack",
          channel: `ch-${i % CHANNELS}`,
          kind: "digest" as const,
          cron,
          timezone: "UTC",
          locale: "en-US",
          // A channel's digests differ by stage: identical subscriptions are one by the database's key.
          filter: JSON.stringify({ stage: DIGEST_STAGES[Math.floor(i / CHANNELS) % DIGEST_STAGES.length] }),
          created_by: "test",
        })),
      )
      .returning("id")
      .execute();
    const localKey = due.toISOString().slice(0, 16);
    const digestKeys = subs.map((s) => `digest:local:${s.id}:${localKey}`);

    await until(t0 + 500);
    // The burst of status changes: per channel an alert, its recovery in the thread, and the edited header.
    const alertKeys: string[] = [];
    for (let i = 0; i < CHANNELS; i++) {
      const channel = `ch-${i}`;
      const root = `alert:${channel}`;
      const base = { workspace: "local", platform: "slack", channel };
      const msg = (summary: string) => ({ message: { summary, blocks: [] } });
      await enqueueDelivery(t.db, { ...base, idempotencyKey: root, payload: msg("turned red") });
      await enqueueDelivery(t.db, {
        ...base,
        idempotencyKey: `${root}:recovered`,
        kind: "reply",
        parentKey: root,
        payload: msg("recovered"),
      });
      await enqueueDelivery(t.db, {
        ...base,
        idempotencyKey: `${root}:header`,
        kind: "update",
        parentKey: root,
        payload: msg("resolved"),
      });
      alertKeys.push(root, `${root}:recovered`, `${root}:header`);
    }

    await until(t0 + 2_000);
    a.child.kill("SIGKILL");
    await until(t0 + 2_500);
    b.child.kill("SIGSTOP");
    await until(t0 + 3_000);
    c.child.kill("SIGTERM");
    await until(t0 + 4_000);
    a = startReplica("a2", env("a2"));
    await until(t0 + 5_000);
    const cut = await sql<{ n: number }>`
      select count(*)::int as n from (
        select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${app}) x`.execute(
      t.db,
    );
    await until(t0 + 2_500 + (LEASE_SECONDS + 2) * 1000);
    b.child.kill("SIGCONT");
    const cExit = await Promise.race([c.exited, sleep(30_000).then(() => "still running" as const)]);

    const expected = [...digestKeys, ...alertKeys];
    // Normally done within 20 s of the minute; the margin is for a loaded machine, the loop ends when done.
    const deadline = t0 + 180_000;
    const open = async () =>
      (
        await t.db
          .selectFrom("deliveries")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("platform", "=", "slack")
          .where("state", "in", ["pending", "sending"])
          .executeTakeFirstOrThrow()
      ).n;
    while (Date.now() < deadline) {
      const keys = new Set(standIn.records.map((r) => r.key));
      if (expected.every((k) => keys.has(k)) && Number(await open()) === 0) break;
      await sleep(500);
    }
    await sleep(LEASE_SECONDS * 1000); // a late duplicate from a stalled replica would land by now

    const byKey = new Map<string, StandInRecord[]>();
    for (const r of standIn.records) byKey.set(r.key ?? "", [...(byKey.get(r.key ?? "") ?? []), r]);
    const count = (keys: string[], n: number) => keys.filter((k) => (byKey.get(k) ?? []).length === n).length;
    const repliesInThread = alertKeys
      .filter((k) => k.endsWith(":recovered"))
      .filter((k) => {
        const reply = byKey.get(k)?.[0];
        const root = byKey.get(k.replace(/:recovered$/, ""))?.[0];
        return reply?.kind === "reply" && root !== undefined && reply.parentMessageId === root.messageId;
      }).length;
    const updatesOfRoot = alertKeys
      .filter((k) => k.endsWith(":header"))
      .filter((k) => {
        const update = byKey.get(k)?.[0];
        const root = byKey.get(k.replace(/:header$/, ""))?.[0];
        return update?.kind === "update" && root !== undefined && update.parentMessageId === root.messageId;
      }).length;
    const states = await t.db
      .selectFrom("deliveries")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
      .where("platform", "=", "slack")
      .groupBy("state")
      .execute();
    const summary = {
      digests: { expected: DIGESTS, once: count(digestKeys, 1), missing: count(digestKeys, 0) },
      alerts: { expected: alertKeys.length, once: count(alertKeys, 1), missing: count(alertKeys, 0) },
      doubled: [...byKey.values()].filter((rs) => rs.length > 1).length,
      repliesInThread,
      updatesOfRoot,
      paceViolations: standIn.paceViolations.length,
      throttled429: standIn.throttles(),
      connectionsCut: cut.rows[0]?.n,
      sigtermExit: cExit,
      rows: Object.fromEntries(states.map((s) => [s.state, Number(s.n)])),
    };
    console.log("multi-replica run:", JSON.stringify(summary));
    if (cExit !== 0)
      console.log(
        `replica c after SIGTERM:\n${c.output
          .join("")
          .split("\n")
          .filter((l) => /"level":(40|50)|shutting|stopped/.test(l))
          .slice(-15)
          .join("\n")}`,
      );

    expect(summary.digests).toEqual({ expected: DIGESTS, once: DIGESTS, missing: 0 });
    expect(summary.alerts).toEqual({ expected: CHANNELS * 3, once: CHANNELS * 3, missing: 0 });
    expect(summary.doubled).toBe(0);
    expect(repliesInThread).toBe(CHANNELS);
    expect(updatesOfRoot).toBe(CHANNELS);
    expect(standIn.paceViolations).toEqual([]);
    expect(summary.connectionsCut).toBeGreaterThan(0);
    // The SIGTERMed replica stops claiming, finishes or gives back its sends, closes the database and exits
    // 0 by itself, within its bounds, though the database cut its connections meanwhile.
    expect(cExit).toBe(0);
    expect(summary.rows).toEqual({ sent: DIGESTS + CHANNELS * 3 });
  }, 400_000);
});
