import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import type { Catalog } from "../../src/catalog/catalog-schema.ts";
import { catalogToYaml, exportCatalog } from "../../src/catalog/export-catalog.ts";
import { formatPlan } from "../../src/catalog/format-plan.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { listAudit } from "../../src/db/audit-log-repository.ts";
import { getKpiDefinition } from "../../src/db/kpis-repository.ts";
import { getSource, openSourceSecret } from "../../src/db/sources-repository.ts";
import { addSubscription, listSubscriptions } from "../../src/db/subscriptions-repository.ts";
import { ClgError } from "../../src/errors.ts";
import { openTestDb, type TestDb } from "../support/test-db.ts";

let t: TestDb;
beforeAll(async () => {
  t = await openTestDb();
});
afterAll(async () => {
  await t.close();
});

const text = readFileSync(new URL("./fixtures/catalog.yaml", import.meta.url), "utf8");
const catalog = parseCatalogText(text, "catalog.yaml");
const KEY = "catalog test secret key";
const env: Record<string, string> = { PRODUCT_DB_URL: "postgres://reader:pw@db/product" };
const base = {
  actor: "cli:dana",
  secrets: (n: string) => env[n],
  secretKey: KEY,
  now: new Date("2026-03-01T10:00:00Z"),
};

async function counts(ws: string) {
  const n = async (table: "kpis" | "sources" | "subscriptions" | "thresholds" | "targets" | "audit_log") =>
    (
      await t.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("workspace", "=", ws)
        .executeTakeFirstOrThrow()
    ).n;
  return {
    kpis: Number(await n("kpis")),
    sources: Number(await n("sources")),
    subscriptions: Number(await n("subscriptions")),
    thresholds: Number(await n("thresholds")),
    targets: Number(await n("targets")),
    audit: Number(await n("audit_log")),
  };
}

describe("applyCatalog", () => {
  it("plans without writing on a dry run", async () => {
    const plan = await applyCatalog(t.db, { ...base, workspace: "dry", catalog, dryRun: true });
    expect(plan.counts).toMatchObject({ create: 1 + 2 + 5 + 2, update: 0, delete: 0 });
    expect(await counts("dry")).toEqual({
      kpis: 0,
      sources: 0,
      subscriptions: 0,
      thresholds: 0,
      targets: 0,
      audit: 0,
    });
    expect(formatPlan(plan)).toContain("dry run: nothing was written");
    expect(formatPlan(plan)).toContain("  + kpi activation_rate");
  });

  it("creates everything, audits it, and stores the secret encrypted", async () => {
    const plan = await applyCatalog(t.db, { ...base, workspace: "acme", catalog });
    expect(plan.counts.create).toBe(10);
    expect(await counts("acme")).toEqual({
      kpis: 5,
      sources: 2,
      subscriptions: 2,
      thresholds: 4,
      targets: 2,
      audit: 10,
    });
    const src = await getSource(t.db, "acme", "product_db");
    expect(src?.secret_ciphertext).not.toContain("reader:pw");
    expect(src && openSourceSecret(src, KEY)).toBe(env.PRODUCT_DB_URL);
    expect(await getKpiDefinition(t.db, "acme", "signups")).toEqual(catalog.kpis[0]);
    const audit = await listAudit(t.db, "acme", { entity: "kpi" });
    expect(audit[0]).toMatchObject({
      actor: "cli:dana",
      action: "catalog.create",
      entity_key: "signups",
      before: null,
    });
    expect(audit[0]?.at.toISOString()).toBe("2026-03-01T10:00:00.000Z");
  });

  it("changes nothing and writes no audit rows when applied again", async () => {
    const plan = await applyCatalog(t.db, { ...base, workspace: "acme", catalog });
    expect(plan.counts).toEqual({ create: 0, update: 0, delete: 0, unchanged: 9, kept: 0 });
    expect((await counts("acme")).audit).toBe(10);
    expect(formatPlan(plan)).toContain("The database already matches the catalog.");
  });

  it("shows a readable field diff for an update and records before and after", async () => {
    const changed = parseCatalogText(
      text
        .replace("- { status: amber, below: 80 }", "- { status: amber, below: 90 }")
        .replace("name: Trial signups", "name: Trials"),
      "catalog.yaml",
    );
    const dry = await applyCatalog(t.db, { ...base, workspace: "acme", catalog: changed, dryRun: true });
    const update = dry.items.filter((i) => i.action === "update");
    expect(update.map((i) => [i.key, i.changes.map((c) => c.field)])).toEqual([
      ["signups", ["name", "thresholds"]],
    ]);
    expect(formatPlan(dry)).toContain('      name: "Trial signups" -> "Trials"');
    await applyCatalog(t.db, { ...base, workspace: "acme", catalog: changed });
    const last = (await listAudit(t.db, "acme")).at(-1);
    expect(last).toMatchObject({ action: "catalog.update", entity: "kpi", entity_key: "signups" });
    expect(last?.before).toMatchObject({ name: "Trial signups" });
    expect(last?.after).toMatchObject({ name: "Trials" });
    expect((await getKpiDefinition(t.db, "acme", "signups"))?.thresholds[1]).toEqual({
      status: "amber",
      below: 90,
    });
    await applyCatalog(t.db, { ...base, workspace: "acme", catalog });
  });

  it("keeps what the file dropped unless pruning, and never prunes subscriptions made in chat", async () => {
    await addSubscription(t.db, "acme", {
      platform: "slack",
      channel: "C0CHAT",
      kind: "alerts",
      createdBy: "U9",
    });
    const smaller: Catalog = {
      ...catalog,
      kpis: catalog.kpis.filter((k) => k.slug !== "nps"),
      subscriptions: catalog.subscriptions.slice(0, 1),
    };
    const kept = await applyCatalog(t.db, { ...base, workspace: "acme", catalog: smaller });
    expect(kept.items.filter((i) => i.action === "kept").map((i) => `${i.entity} ${i.key}`)).toEqual([
      "subscription slack | C0LEAD | digest | 0 9 * * 1 | Europe/Berlin | {}",
      "kpi nps",
    ]);
    expect(formatPlan(kept)).toContain("use --prune to delete");
    expect((await counts("acme")).kpis).toBe(5);

    const pruned = await applyCatalog(t.db, { ...base, workspace: "acme", catalog: smaller, prune: true });
    expect(pruned.counts.delete).toBe(2);
    expect(await getKpiDefinition(t.db, "acme", "nps")).toBeUndefined();
    expect((await listSubscriptions(t.db, "acme")).map((s) => s.channel).sort()).toEqual(["C0CHAT", "C0CS"]);
    const deletes = (await listAudit(t.db, "acme")).filter((a) => a.action === "catalog.delete");
    expect(deletes.map((a) => a.entity_key)).toContain("nps");
    await applyCatalog(t.db, { ...base, workspace: "acme", catalog });
  });

  it("exports a catalog that applies as a no-op, as an object and through YAML", async () => {
    const exported = await exportCatalog(t.db, "acme");
    expect(exported.kpis.map((k) => k.slug)).toEqual(catalog.kpis.map((k) => k.slug));
    const again = await applyCatalog(t.db, { ...base, workspace: "acme", catalog: exported });
    expect(again.counts).toMatchObject({ create: 0, update: 0, delete: 0 });
    const yaml = catalogToYaml(exported);
    expect(yaml).not.toContain("reader:pw");
    expect(yaml).not.toContain("anomaly:");
    const reparsed = parseCatalogText(yaml, "export.yaml");
    // Sources come back by name; everything else keeps the file's order.
    const byName = (c: Catalog) => ({
      ...c,
      sources: [...c.sources].sort((a, b) => a.name.localeCompare(b.name)),
    });
    expect(byName(reparsed)).toEqual(byName(catalog));
    const viaYaml = await applyCatalog(t.db, { ...base, workspace: "acme", catalog: reparsed, prune: true });
    expect(viaYaml.counts).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it("keeps a stored secret when its variable is unset, and refuses a new source without one", async () => {
    const noEnv = { ...base, secrets: () => undefined };
    const plan = await applyCatalog(t.db, { ...noEnv, workspace: "acme", catalog });
    expect(plan.counts.update).toBe(0);
    const before = await counts("fresh");
    await expect(applyCatalog(t.db, { ...noEnv, workspace: "fresh", catalog })).rejects.toThrow(
      /sources\[0\]\.secret_env: source "product_db" needs its secret: set the environment variable PRODUCT_DB_URL/,
    );
    expect(await counts("fresh")).toEqual(before);
  });

  it("rolls back everything when a write fails", async () => {
    // The last KPI breaks a NOT NULL column, after everything before it was written in the transaction.
    const bad = { ...catalog.kpis[0], slug: "broken", name: null } as unknown as Catalog["kpis"][number];
    const broken = { ...catalog, kpis: [...catalog.kpis, bad] };
    await expect(applyCatalog(t.db, { ...base, workspace: "rollback", catalog: broken })).rejects.toThrow();
    expect(await counts("rollback")).toEqual({
      kpis: 0,
      sources: 0,
      subscriptions: 0,
      thresholds: 0,
      targets: 0,
      audit: 0,
    });
  });

  it("reports a missing secret key as a configuration error", async () => {
    const e = await applyCatalog(t.db, { ...base, secretKey: undefined, workspace: "nokey", catalog }).catch(
      (x) => x,
    );
    expect(e).toBeInstanceOf(ClgError);
    expect((e as ClgError).code).toBe("clg_config_invalid");
  });

  it.runIf(process.env.TEST_DATABASE_URL)("serializes two applies of one workspace", async () => {
    const [a, b] = await Promise.all([
      applyCatalog(t.db, { ...base, workspace: "race", catalog }),
      applyCatalog(t.db, { ...base, workspace: "race", catalog }),
    ]);
    expect([a.counts.create, b.counts.create].sort()).toEqual([0, 10]);
    expect((await counts("race")).audit).toBe(10);
  });
});
