// Rehearses the Dockerfile without a Docker engine: copies what its COPY lines name into a temporary folder,
// runs the build stage's RUN lines there (npm ci --omit=dev), starts the image's CMD with its ENV, and waits
// for its HEALTHCHECK command to pass. It checks the image's files, production install and start, not the
// base image itself. Usage: node scripts/rehearse-docker-build.mjs
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

const repo = resolve(import.meta.dirname, "..");
const lines = readFileSync(join(repo, "Dockerfile"), "utf8")
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

const fail = (why) => {
  console.error(`rehearse-docker-build: ${why}`);
  process.exit(1);
};
if (lines.some((l) => /^RUN .*apt-get install .*fonts-/.test(l)))
  fail("the Dockerfile installs font packages");
const ignored = readFileSync(join(repo, ".dockerignore"), "utf8").split("\n");
for (const must of [".git", "node_modules", ".clg-data"]) {
  if (!ignored.includes(must)) fail(`.dockerignore does not leave out ${must}`);
}

const work = mkdtempSync(join(tmpdir(), "clg-image-"));
const app = join(work, "app");
mkdirSync(app);
let stage = 0;
const env = {};
let healthcheck;
let cmd;
for (const line of lines) {
  const [word, ...rest] = line.split(" ");
  const args = rest.join(" ");
  if (word === "FROM") stage++;
  else if (word === "COPY" && !args.startsWith("--from")) {
    // Docker's rules: a folder's contents go into the destination; files go into it when it ends in "/"
    // or when there are several
    const parts = args.split(/\s+/);
    const destRaw = parts.pop();
    const dest = join(app, destRaw);
    for (const src of parts) {
      const from = join(repo, src);
      const into = destRaw.endsWith("/") || parts.length > 1;
      if (statSync(from).isDirectory()) cpSync(from, dest, { recursive: true });
      else cpSync(from, into ? join(dest, basename(src)) : dest, { recursive: true });
    }
  } else if (word === "RUN" && stage === 1) {
    console.log(`$ ${args}`);
    const r = spawnSync("sh", ["-c", args], { cwd: app, stdio: "inherit" });
    if (r.status !== 0) fail(`"${args}" exited with ${r.status}`);
  } else if (word === "ENV") {
    for (const [, k, v] of args.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  } else if (word === "HEALTHCHECK") healthcheck = args.replace(/^.*?\bCMD\s+/, "");
  else if (word === "CMD") cmd = JSON.parse(args);
}
if (!healthcheck || !cmd) fail("the Dockerfile has no HEALTHCHECK or no CMD");

const port = String(20_000 + Math.floor(Math.random() * 20_000));
const runEnv = { ...process.env, ...env, PORT: port, CLG_DATA_DIR: join(work, "data") };
console.log(`$ ${cmd.join(" ")}  (PORT=${port})`);
const service = spawn(cmd[0], cmd.slice(1), {
  cwd: app,
  env: runEnv,
  stdio: ["ignore", "ignore", "inherit"],
});
let exited = false;
service.on("exit", () => {
  exited = true;
});
const deadline = Date.now() + 120_000;
let healthy = false;
while (!healthy && !exited && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 1000));
  healthy = spawnSync("sh", ["-c", healthcheck], { env: runEnv }).status === 0;
}
service.kill("SIGTERM");
await new Promise((r) => (exited ? r() : service.on("exit", r)));
rmSync(work, { recursive: true, force: true });
if (!healthy) fail(exited ? "the service exited before it was healthy" : "the health check never passed");
console.log(`rehearse-docker-build: production install started and answered the HEALTHCHECK on PORT=${port}`);
