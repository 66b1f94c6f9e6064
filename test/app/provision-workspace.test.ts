import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask } from "../../src/app/ask.ts";
import { bootstrapWorkspace } from "../../src/app/bootstrap.ts";
import { isWorkspaceAdmin } from "../../src/app/workspace-admins.ts";
import { getWorkspace } from "../../src/db/workspaces-repository.ts";
import { renderText } from "../../src/messages/render-text.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false, env: { CLG_ADMINS: "U-ops" } });
});
afterAll(async () => {
  await rt.close();
});

describe("a workspace created by a chat install", () => {
  it("gets the default catalog, its name, locale and admin channel, and answers on its own", async () => {
    const result = await bootstrapWorkspace(
      rt.pollDeps,
      rt.config,
      {},
      {
        id: "slack:T-acme",
        name: "Acme",
        locale: "de-DE",
        adminPlatform: "slack",
        adminChannel: "C-admins",
      },
    );
    expect(result.catalogApplied).toMatch(/default\.yaml$/);
    const row = await getWorkspace(rt.db, "slack:T-acme");
    expect(row).toMatchObject({
      name: "Acme",
      locale: "de-DE",
      admin_platform: "slack",
      admin_channel: "C-admins",
    });
    const asker = {
      workspace: "slack:T-acme",
      platform: "slack" as const,
      channel: "C1",
      user: "U1",
      isAdmin: false,
      locale: "en-US",
    };
    const { message } = await ask(rt, asker, "activation");
    expect(renderText(message)).toMatch(/Activation/);
  });

  it("a second install keeps the catalog and what it was not told again", async () => {
    const again = await bootstrapWorkspace(
      rt.pollDeps,
      rt.config,
      {},
      { id: "slack:T-acme", name: "Acme Inc" },
    );
    expect(again.catalogApplied).toBeNull();
    expect(await getWorkspace(rt.db, "slack:T-acme")).toMatchObject({
      name: "Acme Inc",
      admin_channel: "C-admins",
    });
  });

  it("admins: the platform's word, the workspace's own list, and CLG_ADMINS only for the configured one", async () => {
    await rt.db
      .updateTable("workspaces")
      .set({ admins: JSON.stringify(["U-lead"]) })
      .where("id", "=", "slack:T-acme")
      .execute();
    expect(await isWorkspaceAdmin(rt.db, rt.config, "slack:T-acme", "U-lead")).toBe(true);
    expect(await isWorkspaceAdmin(rt.db, rt.config, "slack:T-acme", "U-x")).toBe(false);
    expect(await isWorkspaceAdmin(rt.db, rt.config, "slack:T-acme", "U-x", true)).toBe(true);
    expect(await isWorkspaceAdmin(rt.db, rt.config, "slack:T-acme", "U-ops")).toBe(false);
    expect(await isWorkspaceAdmin(rt.db, rt.config, rt.config.workspace, "U-ops")).toBe(true);
  });
});
