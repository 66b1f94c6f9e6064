import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { hasCluster, loadTemplate, writeTemplate } from "../../src/db/pglite-template.ts";

const dir = mkdtempSync(join(tmpdir(), "clg-template-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the embedded database template", () => {
  it("is an initialised cluster that a new data folder starts from", async () => {
    const path = join(dir, "template.tar.gz");
    const { bytes } = await writeTemplate(path);
    expect(bytes).toBeGreaterThan(1_000_000);
    const blob = await loadTemplate(path);
    expect(blob).not.toBeNull();
    const folder = join(dir, "data");
    expect(hasCluster(folder)).toBe(false);
    const db = await PGlite.create({ dataDir: folder, loadDataDir: blob ?? undefined });
    await db.query("create table t (x int)");
    await db.query("insert into t values (42)");
    await db.close();
    expect(hasCluster(folder)).toBe(true);
    const again = await PGlite.create({ dataDir: folder });
    expect((await again.query<{ x: number }>("select x from t")).rows).toEqual([{ x: 42 }]);
    await again.close();
  });

  it("is simply absent when it was never written", async () => {
    expect(await loadTemplate(join(dir, "missing.tar.gz"))).toBeNull();
  });
});
