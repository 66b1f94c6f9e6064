import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClg } from "../support/run-clg.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

const LONG = "a".repeat(10_000);
const FRIENDLY = "That command is too long (10000 characters).";

let t: TestService;
const dirs: string[] = [];

beforeAll(async () => {
  t = await startTestService();
});
afterAll(async () => {
  await t?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The service's own answer to a text, over HTTP with the token, as the preview page asks. */
async function serviceAnswer(text: string): Promise<{ text: string; message: unknown }> {
  const { port, token } = JSON.parse(readFileSync(join(t.dataDir, "service.json"), "utf8"));
  const res = await fetch(`http://localhost:${port}/api/local/ask`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-clg-token": token },
    body: JSON.stringify({ text, channel: "general" }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { text: string; message: unknown };
}

describe("clg ask while the service runs", () => {
  it("a 10,000-character command: the service's friendly answer on stderr, exit 1", async () => {
    const r = await runClg(["ask", LONG], { CLG_DATA_DIR: t.dataDir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const service = await serviceAnswer(LONG);
    expect(service.text).toContain(FRIENDLY);
    expect(r.stderr).toBe(`${service.text}\n`);
  });

  it("--json prints one JSON document on stdout, for an answer and for an error answer", async () => {
    const ok = await runClg(["ask", "--json", "activation", "28d"], { CLG_DATA_DIR: t.dataDir });
    expect(ok.code).toBe(0);
    const answer = JSON.parse(ok.stdout);
    expect(answer.message.summary).toContain("Activation rate");
    expect(Array.isArray(answer.charts)).toBe(true);

    const typo = await runClg(["ask", "--json", "activaton"], { CLG_DATA_DIR: t.dataDir });
    expect(typo.code).toBe(1);
    expect(JSON.parse(typo.stdout).message).toMatchObject({ tone: "error" });

    const long = await runClg(["ask", "--json", LONG], { CLG_DATA_DIR: t.dataDir });
    expect(long.code).toBe(1);
    expect(JSON.parse(long.stdout).message).toEqual((await serviceAnswer(LONG)).message);
  }, 120_000); // three runs of the binary

  it("a refusal of the service (a body over the cap) exits 1 with the service's words, as JSON under --json", async () => {
    const huge = "b".repeat(70 * 1024);
    const r = await runClg(["ask", huge], { CLG_DATA_DIR: t.dataDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error [clg_too_large]: The request body is larger than 64 KiB");
    const j = await runClg(["ask", "--json", huge], { CLG_DATA_DIR: t.dataDir });
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout).error.code).toBe("clg_too_large");
  }, 90_000); // two runs of the binary

  it("a wrong token in the service file is refused, clearly, with exit 1", async () => {
    const file = join(t.dataDir, "service.json");
    const original = readFileSync(file, "utf8");
    try {
      writeFileSync(file, JSON.stringify({ ...JSON.parse(original), token: "x".repeat(43) }), {
        mode: 0o600,
      });
      const r = await runClg(["ask", "help"], { CLG_DATA_DIR: t.dataDir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("error [clg_forbidden]");
      expect(r.stdout).toBe("");
    } finally {
      writeFileSync(file, original, { mode: 0o600 });
    }
  });
});

describe("clg ask on the data folder (no service)", () => {
  it("the same friendly answer for a 10,000-character command, and only JSON on stdout", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "clg-ask-"));
    dirs.push(dataDir);
    const r = await runClg(["ask", "--json", LONG], { CLG_DATA_DIR: dataDir, LOG_LEVEL: "info" });
    expect(r.code).toBe(1);
    const printed = JSON.parse(r.stdout);
    expect(printed.message).toEqual((await serviceAnswer(LONG)).message);
    expect(printed.charts).toEqual([]);
  }, 180_000); // the first use of a data folder sets it up (catalog, demo history, first evaluation)
});
