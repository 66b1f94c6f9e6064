// Builds dist/clg-bot-teams.zip, the Teams app package: MicrosoftAppId and PUBLIC_URL come from the environment.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { buildTeamsPackage } from "../src/teams/app-package.ts";

const root = new URL("../", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { version: string };
try {
  const zip = buildTeamsPackage({ folder: new URL("teams/", root).pathname, version, env: process.env });
  mkdirSync(new URL("dist/", root), { recursive: true });
  writeFileSync(new URL("dist/clg-bot-teams.zip", root), zip);
  console.log(`dist/clg-bot-teams.zip (${(zip.length / 1024).toFixed(1)} KB): upload it in Teams`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
