import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCatalogTask } from "../../src/app/admin-tasks.ts";
import { migrationStatus } from "../../src/db/migrate.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import { runClg, runNode } from "../support/run-clg.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

const clg = runClg;

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
  }, 120_000);
});

describe("clg ask while the service runs", () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
  });

  it("reaches the running service over loopback and prints the same answer the bot gives", async () => {
    const r = await clg(["ask", "activation", "28d"], { CLG_DATA_DIR: t.dataDir });
    expect(r.code).toBe(0);
    const direct = await askLocal(t.rt, { text: "activation 28d", channel: "general", user: "x" });
    expect(r.stdout.startsWith(direct.text)).toBe(true);
  }, 120_000);

  const env = () => ({ CLG_DATA_DIR: t.dataDir });

  it("exports the catalog, and applies it back (dry run and for real) through the service", async () => {
    const exported = await clg(["catalog", "export"], env());
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("slug: activation");

    const dir = tempDir();
    const file = join(dir, "catalog.yaml");
    writeFileSync(file, exported.stdout.replace("name: Activation rate", "name: Activation share"));
    writeFileSync(join(dir, "broken.yaml"), "kpis:\n  - slug: [\n");
    const [dry, broken, missing] = await Promise.all([
      clg(["catalog", "apply", "--dry-run", file], env()),
      clg(["catalog", "apply", join(dir, "broken.yaml")], env()),
      clg(["catalog", "apply", "/nowhere/catalog.yaml"], env()),
    ]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("dry run: nothing was written");
    expect(dry.stdout).toMatch(/~ kpi activation\n\s+name: "Activation rate" -> "Activation share"/);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("broken.yaml");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error [clg_not_found]: file not found: /nowhere/catalog.yaml\n");
    expect((await exportCatalogTask(t.rt)).includes("name: Activation rate")).toBe(true);

    const applied = await clg(["catalog", "apply", file], env());
    expect(applied.stderr).toBe("");
    expect(applied.stdout).toContain("1 updated");
    expect((await exportCatalogTask(t.rt)).includes("name: Activation share")).toBe(true);
  }, 240_000);

  it("applies and exports another workspace's catalog (--workspace), its settings included", async () => {
    const dir = tempDir();
    const file = join(dir, "acme.yaml");
    writeFileSync(
      file,
      "workspace:\n  name: Acme\n  locale: de-DE\n  admins: [U0LEAD]\n  admin_channel: { platform: slack, channel: C0ADMIN }\nsubscriptions:\n  - { platform: slack, channel: C0CS, kind: alerts }\n",
    );
    const applied = await clg(["catalog", "apply", file, "--workspace", "slack:T0ACME"], env());
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    const exported = await clg(["catalog", "export", "--workspace", "slack:T0ACME"], env());
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain("admins:\n    - U0LEAD");
    expect(exported.stdout).toContain("channel: C0CS");
    expect(exported.stdout).not.toContain("slug: activation"); // not the local workspace's catalog
    expect(await exportCatalogTask(t.rt)).not.toContain("U0LEAD");
  }, 120_000);

  it("reports migrations, and refuses a rollback under the running service", async () => {
    const [status, down] = await Promise.all([
      clg(["migrate", "--status"], env()),
      clg(["migrate", "--down", "1"], env()),
    ]);
    expect(status.stdout.trim()).toBe("migrations: current");
    expect(status.code).toBe(0);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/is running on .*stop the service/is);
    expect(await migrationStatus(t.rt.db)).toMatchObject({ current: true });
  }, 180_000);

  it("polls a source and imports samples through the service", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "history.csv"), "kpi,day,value\nnew_visitors,2026-01-05,120\n");
    const [polled, unknown, imported, missing] = await Promise.all([
      clg(["poll", "demo"], env()),
      clg(["poll", "stripe-live"], env()),
      clg(["samples", "import", join(dir, "history.csv")], env()),
      clg(["samples", "import", join(dir, "nope.csv")], env()),
    ]);
    expect(polled.stderr).toBe("");
    expect(polled.code).toBe(0);
    expect(polled.stdout).toMatch(/^demo: \d+ samples/m);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No source "stripe-live"');
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("1 rows read · 1 samples written");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error \[clg_not_found\]: file not found: .*nope\.csv$/m);
  }, 180_000);

  it("lists digest subscriptions with their ids and sends one by id", async () => {
    const list = await clg(["digest"], env());
    expect(list.code).toBe(0);
    const id = /^ {2}(\d+): local #growth/m.exec(list.stdout)?.[1];
    expect(id).toBeDefined();
    const [sent, wrong] = await Promise.all([
      clg(["digest", String(id)], env()),
      clg(["digest", "99999"], env()),
    ]);
    expect(sent.stderr).toBe("");
    expect(sent.stdout).toContain(`digest ${id} queued for local #growth; sent 1, failed 0`);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('No digest subscription with id "99999"');
    expect(wrong.stderr).toContain(`${id}: local #growth`);
  }, 180_000);
});

describe("clear errors and non-zero exits", () => {
  it("a busy port: one line, before any data folder or migration exists", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as AddressInfo).port;
    const dataDir = join(tempDir(), "data");
    try {
      const r = await runNode(["--import", "tsx", "src/main.ts"], {
        CLG_DATA_DIR: dataDir,
        PORT: String(port),
        HOST: "127.0.0.1",
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        `error [clg_config_invalid]: port ${port} is in use: set PORT=${port + 1} (or another free port) or stop the other process\n`,
      );
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      taken.close();
    }
  }, 120_000);

  it("an unreachable DATABASE_URL: one line, no stack trace, within 10 s", async () => {
    const r = await clg(["migrate"], { DATABASE_URL: "postgres://clg:secret-pw@127.0.0.1:1/clg" });
    expect(r.code).not.toBe(0);
    expect(r.ms).toBeLessThan(10_000 + 3_000); // the bound is for the connection; allow the loader's start-up
    expect(r.stderr).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/secret-pw|\n\s+at /);
  }, 120_000);

  it("migrate --down says what it would delete and wants --yes; --status then reports the rollback", async () => {
    const env = { CLG_DATA_DIR: tempDir() };
    expect((await clg(["catalog", "apply", "catalog/default.yaml"], env)).code).toBe(0);
    const refused = await clg(["migrate", "--down", "all"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /^error \[clg_config_invalid\]: Rolling back .*20261123_1700_initial would delete tables .*kpis \(\d+ rows\)/,
    );
    expect(refused.stderr).toContain("--yes");
    const done = await clg(["migrate", "--down", "all", "--yes"], env);
    expect(done.stdout).toMatch(/^rolled back: .*20261123_1700_initial; deleted tables .*kpis \(\d+ rows\)/);
    const status = await clg(["migrate", "--status"], env);
    expect(status.stdout).toMatch(/pending: .*\n {2}20261123_1700_initial was rolled back on /);
  }, 240_000);

  it("a bad environment variable names the variable", async () => {
    const r = await clg(["migrate"], { PORT: "eighty" });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("PORT");
  }, 120_000);

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
  }, 120_000);
});
