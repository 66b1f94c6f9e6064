import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrapWorkspace, DEFAULT_CATALOG_FILE } from "../../src/app/bootstrap.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { catalogToYaml, exportCatalog } from "../../src/catalog/export-catalog.ts";
import { loadCatalogFile } from "../../src/catalog/parse-catalog.ts";
import { readStoredKpis } from "../../src/db/kpis-repository.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import type { Message } from "../../src/messages/message.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
const ask = async (text: string) =>
  (await askLocal(rt, { text, channel: "general", user: "tester" })).message;
const textOf = (m: Message) => JSON.stringify(m);
const slugsOf = (m: Message) => m.blocks.flatMap((b) => (b.type === "kpis" ? b.rows.map((r) => r.slug) : []));

beforeAll(async () => {
  rt = await openTestRuntime({ env: { CLG_ADMINS: "tester" } });
  // Rows as a hand-written statement or an older version could leave them: no command writes these.
  await sql`update thresholds set value = 'Infinity'::float8 where workspace = 'local' and kpi = 'nps'`.execute(
    rt.db,
  );
  await sql`update kpis set definition = '"{not an object"'::jsonb where workspace = 'local' and slug = 'churn'`.execute(
    rt.db,
  );
  await sql`update targets set value = 'NaN'::float8 where workspace = 'local' and kpi = 'activation'`.execute(
    rt.db,
  );
});
afterAll(async () => {
  await rt.close();
});

describe("one unreadable stored KPI row degrades that KPI only", () => {
  it("reads every other KPI and says what is wrong with each unreadable one", async () => {
    const { kpis, unreadable } = await readStoredKpis(rt.db, "local");
    expect(kpis.length).toBeGreaterThan(10);
    expect(unreadable.map((k) => [k.slug, k.problem])).toEqual(
      expect.arrayContaining([
        [
          "nps",
          expect.stringMatching(/^its (red|amber) threshold \((below|above) Infinity\) is outside the range/),
        ],
        ["churn", "its stored definition is not a JSON object"],
        ["activation", expect.stringMatching(/^its (week|month|quarter) target \(NaN\) is not a number$/)],
      ]),
    );
  });

  it("answers other commands, names the broken KPIs on the board and in the digest", async () => {
    const board = await ask("board");
    expect(board.tone).not.toBe("error");
    expect(slugsOf(board)).toContain("trials");
    expect(slugsOf(board)).not.toContain("nps");
    expect(textOf(board)).toMatch(
      /Left out because their stored definition cannot be read: .*Net Promoter Score \(nps\)/,
    );
    const trials = await ask("trials 28d");
    expect(slugsOf(trials)).toEqual(["trials"]);
    const digest = await ask("digest");
    expect(textOf(digest)).toContain("(churn): its stored definition is not a JSON object");
    const list = await ask("list");
    expect(textOf(list)).toContain("(nps)");
  });

  it("answers a question about a broken KPI with its problem and how to repair it", async () => {
    for (const text of ["nps", "threshold nps red < 20", "help nps"]) {
      const m = await ask(text);
      expect(textOf(m), text).toMatch(
        /Net Promoter Score \(nps\) cannot be read from the database: its (red|amber) threshold/,
      );
      expect(textOf(m), text).toContain("clg catalog apply");
    }
  });

  it("keeps schedules running, starts again, exports, and is repaired by an apply", async () => {
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
    await runMinute(rt, "local", new Date("2026-11-23T11:00:00Z"));
    const restarted = await bootstrapWorkspace(rt.pollDeps, rt.config, {});
    expect(restarted.catalogApplied).toBeNull();
    const { unreadable } = await readStoredKpis(rt.db, "local");
    const yaml = catalogToYaml(await exportCatalog(rt.db, "local"), unreadable);
    expect(yaml).toMatch(/^# Left out: KPI "nps" \(Net Promoter Score\) cannot be read from the database/m);
    expect(yaml).toContain("slug: trials");
    expect(yaml).not.toContain("slug: nps");
    const plan = await applyCatalog(rt.db, {
      workspace: "local",
      catalog: await loadCatalogFile(DEFAULT_CATALOG_FILE),
      actor: "test",
      secrets: () => undefined,
      now: rt.clock.now(),
    });
    expect(plan.items.find((i) => i.entity === "kpi" && i.key === "nps")?.action).toBe("update");
    expect((await readStoredKpis(rt.db, "local")).unreadable).toEqual([]);
    expect(slugsOf(await ask("nps"))).toEqual(["nps"]);
  });
});
