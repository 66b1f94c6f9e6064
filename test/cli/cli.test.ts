import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askLocal } from "../../src/local/ask-local.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real `clg` binary as a user would. */
function clg(args: string[], env: Record<string, string>): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/clg.js", ...args], {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "warn", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "clg-cli-"));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe("clg ask with no service running", () => {
  it("opens the data folder itself, sets it up on first use, answers, and writes the chart files", async () => {
    const dataDir = tempDir();
    const r = await clg(["ask", "board", "--charts", join(dataDir, "png")], { CLG_DATA_DIR: dataDir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Customer-Led Growth board");
    expect(r.stdout).toMatch(/chart: .*png[/\\]chart-[a-f0-9]+\.png/);
  });
});

describe("clg ask while the service runs", () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("reaches the running service over loopback and prints the same answer the bot gives", async () => {
    const r = await clg(["ask", "activation", "28d"], { CLG_DATA_DIR: t.dataDir });
    expect(r.code).toBe(0);
    const direct = await askLocal(t.rt, { text: "activation 28d", channel: "general", user: "x" });
    expect(r.stdout.startsWith(direct.text)).toBe(true);
  });
});

describe("clear errors and non-zero exits", () => {
  it("an unreachable DATABASE_URL: one line, no stack trace, within 10 s", async () => {
    const r = await clg(["migrate"], { DATABASE_URL: "postgres://clg:secret-pw@127.0.0.1:1/clg" });
    expect(r.code).not.toBe(0);
    expect(r.ms).toBeLessThan(10_000 + 3_000); // the bound is for the connection; allow the loader's start-up
    expect(r.stderr).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/secret-pw|\n\s+at /);
  });

  it("a bad environment variable names the variable", async () => {
    const r = await clg(["migrate"], { PORT: "eighty" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("PORT");
  });

  it("a malformed catalog file names the path and writes nothing", async () => {
    const dataDir = tempDir();
    const file = join(dataDir, "bad.yaml");
    writeFileSync(
      file,
      "kpis:\n  - slug: activation\n    name: Activation\n    stage: activation\n    unit: percent\n    direction: up\n    aggregation: { kind: ratio }\n    thresholds:\n      - { status: red, below: lots }\n",
    );
    const r = await clg(["catalog", "apply", file], { CLG_DATA_DIR: dataDir });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("kpis[0].thresholds[0].below");
    const exported = await clg(["catalog", "export"], { CLG_DATA_DIR: dataDir });
    expect(exported.stdout).not.toContain("activation");
  });
});
