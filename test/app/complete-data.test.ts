import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollSource } from "../../src/app/poll-source.ts";
import { buildSnapshot, evaluationOf } from "../../src/app/snapshot.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { demoConnector } from "../../src/connectors/demo/index.ts";
import { getSource } from "../../src/db/sources-repository.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

describe("complete data only", () => {
  it("a source whose days finish 36 hours late is evaluated up to its last final day, not yesterday", async () => {
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const row = await getSource(rt.db, "local", "demo");
    if (!row) throw new Error("no demo source");
    // An analytics-like source: 2026-11-21 ends at midnight UTC and is final 36 hours later.
    const late = { ...demoConnector, completeLagHours: 36 };
    rt.clock.set("2026-11-23T10:00:00Z");
    const r = await pollSource({ ...rt.pollDeps, connectorFor: () => late }, catalog, row);
    expect(r).toMatchObject({ ok: true, until: "2026-11-22" });
    expect((await getSource(rt.db, "local", "demo"))?.complete_through).toBe("2026-11-20");

    const snapshot = await buildSnapshot(rt.db, catalog, { now: rt.clock.now(), charts: false });
    expect(snapshot.asOf).toBe("2026-11-22");
    const kpi = catalog.kpis.find((k) => k.source === "demo" && k.aggregation.kind !== "formula");
    const formula = catalog.kpis.find((k) => k.aggregation.kind === "formula");
    if (!kpi || !formula) throw new Error("the default catalog changed");
    expect(evaluationOf(snapshot, kpi.slug, kpi.windows[0] as string)?.asOf).toBe("2026-11-20");
    // A formula reads its inputs as of the earliest of their days.
    expect(evaluationOf(snapshot, formula.slug, formula.windows[0] as string)?.asOf).toBe("2026-11-20");

    // A current source (lag 0) is final through yesterday again.
    await pollSource(rt.pollDeps, catalog, (await getSource(rt.db, "local", "demo")) ?? row);
    const fresh = await buildSnapshot(rt.db, catalog, { now: rt.clock.now(), charts: false });
    expect(evaluationOf(fresh, kpi.slug, kpi.windows[0] as string)?.asOf).toBe("2026-11-22");
  });
});
