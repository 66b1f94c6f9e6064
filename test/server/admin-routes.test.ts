import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.ts";

let t: TestService;
beforeAll(async () => {
  t = await startTestService();
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

const post = (path: string, body: string, type = "application/json") =>
  fetch(`${t.base}/api/local${path}`, {
    method: "POST",
    headers: { "content-type": type, ...t.tokenHeader() },
    body,
  });

describe("the administration routes of the running service", () => {
  it("take JSON only: a form post (what another web page could send) is refused", async () => {
    const r = await post("/poll", "source=demo", "application/x-www-form-urlencoded");
    expect(r.status).toBe(415);
    expect(await r.json()).toMatchObject({ error: { code: "clg_bad_request" } });
  });

  it("name the field a body gets wrong, and never take a path to read", async () => {
    const r = await post("/catalog/apply", JSON.stringify({ path: "/etc/passwd" }));
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/text: .*fileName: .*actor: /s);
  });

  it("answer a refused catalog with its code, message and hint, as the CLI prints them", async () => {
    const r = await post(
      "/catalog/apply",
      JSON.stringify({
        text: "timezone: Mars/Olympus\n",
        fileName: "c.yaml",
        actor: "cli:test",
        dryRun: true,
      }),
    );
    expect(r.status).toBe(400);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("clg_catalog_invalid");
    expect(body.error.message).toContain('"Mars/Olympus" is not a time zone I know');
  });

  it("test a source for the CLI: an unknown one is not found, and no token is refused", async () => {
    const r = await post("/sources/test", JSON.stringify({ source: "nope" }));
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { code: "clg_not_found", message: 'No source "nope".' } });
    const anonymous = await fetch(`${t.base}/api/local/sources/test`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ source: "demo" }),
    });
    expect(anonymous.status).toBe(403);
  });

  it("refuse a caller without this start's token", async () => {
    const r = await fetch(`${t.base}/api/local/catalog`);
    expect(r.status).toBe(403);
    expect(await r.json()).toMatchObject({ error: { code: "clg_forbidden" } });
  });

  it("export the catalog as JSON-wrapped YAML", async () => {
    const r = await fetch(`${t.base}/api/local/catalog`, { headers: t.tokenHeader() });
    expect(r.headers.get("content-type")).toContain("application/json");
    const body = (await r.json()) as { text: string; failed: boolean };
    expect(body.failed).toBe(false);
    expect(body.text).toContain("slug: activation");
  });
});
