import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { catalogToYaml, exportCatalog } from "../../src/catalog/export-catalog.ts";
import { loadCatalogFile, parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

describe("the shipped default catalog", () => {
  it("applies, exports, and applies again as a no-op", async () => {
    const catalog = await loadCatalogFile(new URL("../../catalog/default.yaml", import.meta.url).pathname);
    const opts = { workspace: "local", actor: "test", secrets: () => undefined };
    const first = await applyCatalog(t.db, { ...opts, catalog });
    expect(first.counts.create).toBeGreaterThan(catalog.kpis.length);
    const exported = parseCatalogText(catalogToYaml(await exportCatalog(t.db, "local")), "export.yaml");
    const again = await applyCatalog(t.db, { ...opts, catalog: exported, prune: true });
    expect(again.items.filter((i) => i.action !== "unchanged")).toEqual([]);
  });
});
