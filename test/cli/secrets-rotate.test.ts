import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { findSlackInstallation, saveSlackInstallation } from "../../src/db/slack-installations-repository.ts";
import { openStandIn, type StandIn } from "../connectors/http-csv/stand-in.ts";
import { runClg } from "../support/run-clg.ts";

const OLD_KEY = "o".repeat(32);
const NEW_KEY = "n".repeat(32);
const OTHER_KEY = "x".repeat(32);
const TOKEN = "hd_live_0123456789abcdef";
const INSTALL = {
  teamId: "T1",
  enterpriseId: null,
  isEnterpriseInstall: false,
  workspace: "slack:T1",
  teamName: "Acme",
  enterpriseName: null,
  appId: "A1",
  botId: "B1",
  botUserId: "U-bot",
  botScopes: ["commands", "chat:write"],
  installerUserId: "U1",
  botToken: "xoxb-1-secret",
  installation: { team: { id: "T1" }, bot: { token: "xoxb-1-secret" } },
};

let api: StandIn;
let dataDir: string;

/** Answers only with the right bearer token, so a test of the source shows the secret survived intact. */
beforeAll(async () => {
  api = await openStandIn((_url, req) =>
    req.headers.authorization === `Bearer ${TOKEN}`
      ? { body: JSON.stringify([{ day: "2026-01-01", value: 1 }]) }
      : { status: 401, body: "{}" },
  );
  dataDir = mkdtempSync(join(tmpdir(), "clg-rotate-"));
});
afterAll(async () => {
  await api?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>): Promise<T> {
  const opened = await openDatabase({ url: null, dataDir });
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

describe("clg secrets rotate", () => {
  it("re-encrypts every stored secret in one transaction, or changes nothing", async () => {
    const file = join(dataDir, "catalog.yaml");
    writeFileSync(
      file,
      `sources:
  - name: helpdesk
    kind: http_csv
    config: { url: "${api.url}/x.json", format: json, auth_header: Authorization, auth_scheme: Bearer, allow_private_addresses: true }
    secret_env: HELPDESK_TOKEN
kpis:
  - { slug: tickets, name: Tickets, stage: customer_success, unit: count, direction: down, aggregation: { kind: count }, source: helpdesk }
`,
    );
    const applied = await runClg(["catalog", "apply", file], {
      CLG_DATA_DIR: dataDir,
      CLG_SECRET_KEY: OLD_KEY,
      HELPDESK_TOKEN: TOKEN,
    });
    expect(applied.stderr).toBe("");
    // An installation sealed under another key: the rotation must fail on it and undo the source's.
    await withDb((db) => saveSlackInstallation(db, INSTALL, OTHER_KEY, new Date()));
    const rotate = { CLG_DATA_DIR: dataDir, CLG_SECRET_KEY: OLD_KEY, CLG_NEW_SECRET_KEY: NEW_KEY };
    const refused = await runClg(["secrets", "rotate"], rotate);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "Cannot decrypt the stored secret of the Slack installation of workspace slack:T1 with CLG_SECRET_KEY; nothing was changed.",
    );
    const test = (key: string) =>
      runClg(["sources", "test", "helpdesk"], { CLG_DATA_DIR: dataDir, CLG_SECRET_KEY: key });
    expect((await test(OLD_KEY)).stdout).toContain("tickets: ok");

    await withDb((db) => saveSlackInstallation(db, INSTALL, OLD_KEY, new Date()));
    const rotated = await runClg(["secrets", "rotate"], rotate);
    expect(rotated.stderr).toBe("");
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toBe(
      "re-encrypted 1 source secret and 1 chat installation under CLG_NEW_SECRET_KEY\nnow set CLG_SECRET_KEY to that key wherever clg runs, and restart the service\n",
    );
    expect((await test(NEW_KEY)).stdout).toContain("tickets: ok");
    expect(await withDb((db) => findSlackInstallation(db, INSTALL, NEW_KEY))).toMatchObject({
      botToken: INSTALL.botToken,
      installation: INSTALL.installation,
    });
    expect((await test(OLD_KEY)).stdout).toContain("Cannot decrypt a stored secret");

    const noNewKey = await runClg(["secrets", "rotate"], { CLG_DATA_DIR: dataDir, CLG_SECRET_KEY: NEW_KEY });
    expect(noNewKey.stderr).toContain("CLG_NEW_SECRET_KEY is not set");
    expect(noNewKey.stderr).toContain("openssl rand -base64 32");
  }, 120_000);
});
