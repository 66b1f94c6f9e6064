import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
const ask = async (text: string, channel: string) =>
  (await askLocal(rt, { text, channel, user: "tester" })).message;

beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false });
});
afterAll(async () => {
  await rt.close();
});

describe("subscriptions under concurrent commands", () => {
  it("gives one subscription for 200 parallel identical subscribes in one channel", async () => {
    // On PostgreSQL these run on the pool's connections at once; a read-then-insert let two through.
    // PGlite has one connection, so there the commands queue anyway; fewer keep the test fast.
    const parallel = rt.dbKind === "postgres" ? 200 : 20;
    const answers = await Promise.all(
      Array.from({ length: parallel }, () => ask("subscribe digest weekly", "race")),
    );
    const subs = await listSubscriptions(rt.db, "local", { channel: "race" });
    expect(subs).toHaveLength(1);
    expect(answers.filter((m) => m.summary.startsWith("This channel will get")).length).toBe(1);
    expect(answers.every((m) => m.tone !== "error")).toBe(true);
    const audit = await sql<{ n: number }>`
      select count(*)::int as n from audit_log where entity = 'subscription' and action = 'subscribe'
        and entity_key like ${"local:race:%"}`.execute(rt.db);
    expect(audit.rows[0]?.n).toBe(1);
  });

  it("keeps a subscription when its unsubscribe's audit row cannot be written", async () => {
    await ask("subscribe digest daily", "audit");
    await sql`alter table audit_log add constraint no_unsubscribe check (action <> 'unsubscribe')`.execute(
      rt.db,
    );
    try {
      const m = await ask("unsubscribe digest", "audit");
      expect(m.tone).toBe("error");
      expect(await listSubscriptions(rt.db, "local", { channel: "audit" })).toHaveLength(1);
    } finally {
      await sql`alter table audit_log drop constraint no_unsubscribe`.execute(rt.db);
    }
    await ask("unsubscribe digest", "audit");
    expect(await listSubscriptions(rt.db, "local", { channel: "audit" })).toHaveLength(0);
  });
});
