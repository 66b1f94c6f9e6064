import type { KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { addSubscription } from "../../src/db/subscriptions-repository.ts";
import { ensureWorkspace } from "../../src/db/workspaces-repository.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false });
});
afterAll(async () => {
  await rt.close();
});

/** Counts the queries that read the status feed: composing a digest reads it once. */
function countFeedReads(): { plugin: KyselyPlugin; reads: () => number } {
  let reads = 0;
  return {
    plugin: {
      transformQuery(args) {
        if (args.node.kind === "SelectQueryNode" && JSON.stringify(args.node).includes('"status_changes"'))
          reads++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    reads: () => reads,
  };
}

describe("a minute's digests", () => {
  it("are composed once per locale and filter, however many subscriptions share them", async () => {
    await ensureWorkspace(rt.db, { id: "local" });
    const subscribe = (channel: string, over: { locale?: string; filter?: Record<string, unknown> }) =>
      addSubscription(rt.db, "local", {
        platform: "local",
        channel,
        kind: "digest",
        cron: "0 9 * * *",
        createdBy: "test",
        ...over,
      });
    for (const channel of ["a", "b", "c", "d"]) await subscribe(channel, {});
    for (const channel of ["e", "f"]) await subscribe(channel, { locale: "de-DE" });
    await subscribe("g", { filter: { stage: "activation" } });
    const { plugin, reads } = countFeedReads();
    rt.clock.set("2026-11-23T09:00:05Z");
    const run = await runMinute(
      { ...rt, db: rt.db.withPlugin(plugin) },
      "local",
      new Date("2026-11-23T09:00:00Z"),
    );
    expect(run.digests).toBe(7);
    expect(reads()).toBe(3); // en-US everything, de-DE everything, en-US activation
    expect(await listDeliveries(rt.db, "local")).toHaveLength(7);
  });
});
