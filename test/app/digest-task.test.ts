import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { digestTask } from "../../src/app/admin-tasks.ts";
import { updateWorkspaceProfile } from "../../src/db/workspaces-repository.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt.close();
});

describe("clg digest (the digest as it would read now)", () => {
  it("speaks the workspace's locale, as its scheduled digests do", async () => {
    const english = await digestTask(rt, undefined);
    expect(english).toMatch(/\d\.\d%/);
    await updateWorkspaceProfile(rt.db, { id: rt.config.workspace, locale: "de-DE" });
    const german = await digestTask(rt, undefined);
    expect(german).toMatch(/\d,\d\s?%/);
    expect(german).not.toEqual(english);
  });
});
