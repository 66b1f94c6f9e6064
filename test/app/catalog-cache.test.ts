import { type Kysely, sql, TableNode } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/app/ask.ts";
import { CATALOG_CACHE_LIMIT, loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { openDatabase } from "../../src/db/database.ts";
import { saveKpiDefinition } from "../../src/db/kpis-repository.ts";
import type { Database } from "../../src/db/schema.ts";
import { ensureWorkspace, setWorkspaceTimezone } from "../../src/db/workspaces-repository.ts";
import { testDatabaseUrl } from "../support/test-db.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

/**
 * The catalog is read once per change, and a change made by anyone on the same database (another
 * replica, the CLI, SQL by hand) is seen by the next question.
 */
let rt: TestRuntime;
/** Another process on the same database: its own connections (PostgreSQL) or handle (PGlite), no shared cache. */
let other: Kysely<Database>;
let closeOther: () => Promise<void> = async () => {};

beforeAll(async () => {
  rt = await openTestRuntime();
  const url = testDatabaseUrl();
  if (url) {
    const [{ schema }] = (await sql<{ schema: string }>`select current_schema() as schema`.execute(rt.db))
      .rows as [{ schema: string }];
    const opened = await openDatabase({ url, searchPath: schema, maxConnections: 2 });
    other = opened.db;
    closeOther = opened.close;
  } else other = rt.db.withoutPlugins();
}, 60_000);
afterAll(async () => {
  await closeOther();
  await rt?.close();
});

const WS = () => rt.config.workspace;

describe("the workspace catalog cache", () => {
  it("reads the definitions once, then only the version", async () => {
    const first = await loadWorkspaceCatalog(rt.db, WS());
    expect(first.kpis.length).toBeGreaterThan(3);
    const queries: string[] = [];
    const counted = rt.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === "SelectQueryNode") {
          const from = args.node.from?.froms[0];
          queries.push(from && TableNode.is(from) ? from.table.identifier.name : "?");
        }
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const a = await loadWorkspaceCatalog(counted, WS());
    const b = await loadWorkspaceCatalog(counted, WS());
    // The first call on the new handle reads everything; the second only the workspace's version.
    expect(queries.filter((q) => q === "kpis")).toHaveLength(1);
    expect(queries.filter((q) => q === "thresholds")).toHaveLength(1);
    expect(b).toBe(a);
    expect(await loadWorkspaceCatalog(rt.db, WS())).toBe(first);
  });

  it("sees a threshold changed by another replica", async () => {
    const before = await loadWorkspaceCatalog(rt.db, WS());
    const kpi = before.kpis[0];
    if (!kpi) throw new Error("no KPI");
    const changed = { ...kpi, thresholds: [{ status: "red" as const, below: 12345 }] };
    await saveKpiDefinition(other, WS(), changed, 0, new Date());
    const after = await loadWorkspaceCatalog(rt.db, WS());
    expect(after).not.toBe(before);
    expect(after.bySlug.get(kpi.slug)?.thresholds).toEqual([{ status: "red", below: 12345 }]);
    expect(await loadWorkspaceCatalog(rt.db, WS())).toBe(after);
  });

  it("sees changes written by hand in SQL: a target, a threshold value, a deleted KPI", async () => {
    const c1 = await loadWorkspaceCatalog(rt.db, WS());
    const slug = c1.kpis[1]?.slug as string;
    await sql`insert into targets (workspace, kpi, position, period, value) values (${WS()}, ${slug}, 99, 'month', 77)`.execute(
      other,
    );
    const c2 = await loadWorkspaceCatalog(rt.db, WS());
    expect(c2.bySlug.get(slug)?.targets).toContainEqual({ period: "month", value: 77 });
    const first = c2.kpis[0]?.slug as string;
    await sql`update thresholds set value = 54321 where workspace = ${WS()} and kpi = ${first}`.execute(
      other,
    );
    const c3 = await loadWorkspaceCatalog(rt.db, WS());
    expect(c3.bySlug.get(first)?.thresholds).toEqual([{ status: "red", below: 54321 }]);
    await sql`delete from kpis where workspace = ${WS()} and slug = ${slug}`.execute(other);
    const c4 = await loadWorkspaceCatalog(rt.db, WS());
    expect(c4.bySlug.has(slug)).toBe(false);
    expect(c4.kpis).toHaveLength(c3.kpis.length - 1);
  });

  it("sees a timezone change, and not a rename", async () => {
    const c1 = await loadWorkspaceCatalog(rt.db, WS());
    await sql`update workspaces set name = 'Renamed' where id = ${WS()}`.execute(other);
    expect(await loadWorkspaceCatalog(rt.db, WS())).toBe(c1);
    await setWorkspaceTimezone(other, WS(), "Europe/Paris");
    const c2 = await loadWorkspaceCatalog(rt.db, WS());
    expect(c2.timezone).toBe("Europe/Paris");
  });

  it("sees a locale change (digests of subscriptions without one speak the workspace's)", async () => {
    await loadWorkspaceCatalog(rt.db, WS());
    await sql`update workspaces set locale = 'de-DE' where id = ${WS()}`.execute(other);
    expect((await loadWorkspaceCatalog(rt.db, WS())).locale).toBe("de-DE");
  });

  it("keeps nothing read inside a transaction, and a rolled-back change is never seen", async () => {
    const c1 = await loadWorkspaceCatalog(rt.db, WS());
    const slug = c1.kpis[0]?.slug as string;
    await rt.db
      .transaction()
      .execute(async (trx) => {
        await sql`update thresholds set value = 1 where workspace = ${WS()} and kpi = ${slug}`.execute(trx);
        const inside = await loadWorkspaceCatalog(trx, WS());
        expect(inside.bySlug.get(slug)?.thresholds[0]?.below).toBe(1);
        throw new Error("roll back");
      })
      .catch(() => {});
    const after = await loadWorkspaceCatalog(rt.db, WS());
    expect(after).toBe(c1);
    expect(after.bySlug.get(slug)?.thresholds[0]?.below).not.toBe(1);
  });

  it("answers a question with the change another replica made", async () => {
    const asker = {
      workspace: WS(),
      platform: "local" as const,
      channel: "c",
      user: "u",
      isAdmin: false,
      locale: "en",
    };
    const c1 = await loadWorkspaceCatalog(rt.db, WS());
    const kpi = c1.kpis[0];
    if (!kpi) throw new Error("no KPI");
    await saveKpiDefinition(other, WS(), { ...kpi, name: "Renamed by another replica" }, 0, new Date());
    const { message } = await ask(rt, asker, kpi.slug);
    expect(JSON.stringify(message)).toContain("Renamed by another replica");
  });

  it("keeps a bounded number of workspaces, dropping the least recently asked", async () => {
    const ids = Array.from({ length: CATALOG_CACHE_LIMIT + 1 }, (_, i) => `cache-test-${i}`);
    for (const id of ids) await ensureWorkspace(rt.db, { id });
    const firstCatalog = await loadWorkspaceCatalog(rt.db, ids[0] as string);
    expect(await loadWorkspaceCatalog(rt.db, ids[0] as string)).toBe(firstCatalog);
    for (const id of ids.slice(1)) await loadWorkspaceCatalog(rt.db, id);
    // The local workspace and the first test workspace were the least recently asked: both dropped.
    expect(await loadWorkspaceCatalog(rt.db, ids[0] as string)).not.toBe(firstCatalog);
  });
});
