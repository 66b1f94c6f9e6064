import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/app/ask.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { adminDestinationOf } from "../../src/app/notify-admins.ts";
import { runMinute } from "../../src/app/scheduled-jobs.ts";
import { isWorkspaceAdmin } from "../../src/app/workspace-admins.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { catalogToYaml, exportCatalog } from "../../src/catalog/export-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { getWorkspace } from "../../src/db/workspaces-repository.ts";
import { ClgError } from "../../src/errors.ts";
import { renderText } from "../../src/messages/render-text.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

/** The catalog's `workspace:` section: name, timezone, locale, admins and admin channel, per workspace. */
const catalogText = (workspace: string) => `
version: 1
workspace:
${workspace}
sources:
  - name: demo
    kind: demo
kpis:
  - slug: signups
    name: Signups
    stage: interest
    unit: count
    direction: up
    aggregation: { kind: count }
    source: demo
    windows: [1d]
    thresholds:
      - { status: red, below: 20000 }
    flap: { pending: 1 }
    anomaly: { enabled: false }
    forecast: { enabled: false }
subscriptions:
  - { platform: slack, channel: C-daily, kind: digest, cron: "0 9 * * *" }
  - { platform: slack, channel: C-english, kind: digest, cron: "0 9 * * *", locale: en-US }
  - { platform: slack, channel: C-alerts, kind: alerts }
`;

const ACME = catalogText(`  name: Acme
  timezone: Europe/Berlin
  locale: de-DE
  admins: [U-lead]
  admin_channel: { platform: slack, channel: C-admins }`);

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_ADMINS: "U-ops" } });
});
afterAll(async () => {
  await rt.close();
});

const apply = (workspace: string, text: string) =>
  applyCatalog(rt.db, {
    workspace,
    catalog: parseCatalogText(text, "catalog.yaml"),
    actor: "test",
    now: rt.clock.now(),
  });

describe("the catalog's workspace section", () => {
  it("sets the workspace's name, timezone, locale, admins and admin channel; a second apply changes nothing", async () => {
    const plan = await apply("slack:T-acme", ACME);
    expect(plan.items.find((i) => i.entity === "workspace")).toMatchObject({
      action: "create",
      after: {
        timezone: "Europe/Berlin",
        name: "Acme",
        locale: "de-DE",
        admins: ["U-lead"],
        admin_channel: { platform: "slack", channel: "C-admins" },
      },
    });
    expect(await getWorkspace(rt.db, "slack:T-acme")).toMatchObject({
      name: "Acme",
      timezone: "Europe/Berlin",
      locale: "de-DE",
      admins: ["U-lead"],
      admin_platform: "slack",
      admin_channel: "C-admins",
    });
    expect((await apply("slack:T-acme", ACME)).counts).toMatchObject({ create: 0, update: 0 });
  });

  it("a changed field is an update; a field left out keeps what the install stored", async () => {
    const plan = await apply("slack:T-acme", ACME.replace("[U-lead]", "[U-lead, U-second]"));
    expect(plan.items.find((i) => i.entity === "workspace")?.changes).toEqual([
      { field: "admins", before: ["U-lead"], after: ["U-lead", "U-second"] },
    ]);
    await apply("slack:T-acme", catalogText("  timezone: Europe/Berlin"));
    expect(await getWorkspace(rt.db, "slack:T-acme")).toMatchObject({
      name: "Acme",
      admins: ["U-lead", "U-second"],
      admin_channel: "C-admins",
    });
  });

  it("admin-only answers follow the workspace's own admins, not CLG_ADMINS", async () => {
    await apply("slack:T-acme", ACME);
    await apply("slack:T-other", catalogText("  admins: [U-other-lead]"));
    const admin = (ws: string, user: string) => isWorkspaceAdmin(rt.db, rt.config, ws, user);
    expect(await admin("slack:T-acme", "U-lead")).toBe(true);
    expect(await admin("slack:T-acme", "U-other-lead")).toBe(false);
    expect(await admin("slack:T-acme", "U-ops")).toBe(false); // the deployment's list is for "local" only
    expect(await admin("slack:T-other", "U-other-lead")).toBe(true);

    const asker = async (user: string) => ({
      workspace: "slack:T-acme",
      platform: "slack" as const,
      channel: "C1",
      user,
      isAdmin: await admin("slack:T-acme", user),
      locale: "en-US",
    });
    const { message } = await ask(rt, await asker("U-lead"), "threshold signups red < 15000");
    expect(message.tone).not.toBe("error");
    const refused = await ask(rt, await asker("U-other-lead"), "threshold signups red < 10000").catch(
      (e: unknown) => e,
    );
    const text =
      refused instanceof ClgError ? refused.code : renderText((refused as { message: never }).message);
    expect(text).toMatch(/clg_forbidden|Only admins/);
  });

  it("failures are told in the workspace's own admin channel", async () => {
    expect(await adminDestinationOf(rt.db, rt.config, "slack:T-acme")).toEqual({
      workspace: "slack:T-acme",
      platform: "slack",
      channel: "C-admins",
    });
    expect(await adminDestinationOf(rt.db, rt.config, "slack:T-other")).toBeNull();
  });

  it("digests and alerts of subscriptions without a locale speak the workspace's", async () => {
    await apply("slack:T-acme", ACME);
    const write = (day: string, value: number) =>
      upsertSamples(rt.db, "slack:T-acme", [
        { kpi: "signups", day, segment: "", value, num: null, den: null, dist: null },
      ]);
    await write("2026-10-01", 31234);
    rt.clock.set("2026-10-02T06:00:00Z");
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "slack:T-acme"));
    await write("2026-10-02", 12345);
    rt.clock.set("2026-10-03T06:00:00Z");
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "slack:T-acme"));
    rt.clock.set("2026-10-03T07:00:00Z"); // 09:00 in Berlin
    await runMinute(rt, "slack:T-acme", rt.clock.now());
    const sent = async (channel: string) =>
      JSON.stringify((await listDeliveries(rt.db, "slack:T-acme", { channel }))[0]?.payload ?? null);
    expect(await sent("C-alerts")).toContain("12.345");
    expect(await sent("C-daily")).toContain("12.345");
    expect(await sent("C-english")).toContain("12,345");
  });

  it("is exported, and the export applies back unchanged", async () => {
    await apply("slack:T-acme", ACME);
    const exported = await exportCatalog(rt.db, "slack:T-acme");
    expect(exported.workspace).toEqual({
      name: "Acme",
      locale: "de-DE",
      admins: ["U-lead"],
      admin_channel: { platform: "slack", channel: "C-admins" },
    });
    const yaml = catalogToYaml(exported);
    expect(yaml).toContain("admin_channel:");
    expect((await apply("slack:T-acme", yaml)).counts).toMatchObject({ create: 0, update: 0, delete: 0 });
  });

  it("a timezone given twice must agree", () => {
    expect(() => parseCatalogText(catalogText("  timezone: Europe/Berlin"), "c.yaml").timezone).not.toThrow();
    expect(parseCatalogText(catalogText("  timezone: Europe/Berlin"), "c.yaml").timezone).toBe(
      "Europe/Berlin",
    );
    expect(() =>
      parseCatalogText(`timezone: UTC\n${catalogText("  timezone: Europe/Berlin")}`, "c.yaml"),
    ).toThrow(/timezone/);
  });
});
