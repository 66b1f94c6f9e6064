import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function pgliteVersion(): string {
  try {
    const file = join(ROOT, "node_modules", "@electric-sql", "pglite", "package.json");
    return String(JSON.parse(readFileSync(file, "utf8")).version);
  } catch {
    return "unknown";
  }
}

/**
 * A new PGlite database runs initdb in WebAssembly, most of a first start (about 7 s here). Restoring a
 * freshly initialised cluster saved once at install time takes about 1 s, so `npm install` prepares one
 * (per PGlite version) under node_modules/.cache and new databases start from it. Without it, PGlite
 * runs initdb as usual.
 */
export function templatePath(root: string = ROOT): string {
  return join(root, "node_modules", ".cache", "clg-bot", `pglite-${pgliteVersion()}.tar.gz`);
}

export async function loadTemplate(path: string = templatePath()): Promise<Blob | null> {
  try {
    return new Blob([await readFile(path)]);
  } catch {
    return null;
  }
}

/** Initialises an empty cluster and saves it; written to a temporary name first so readers never see half a file. */
export async function writeTemplate(path: string = templatePath()): Promise<{ path: string; bytes: number }> {
  const db = await PGlite.create();
  try {
    const dump = Buffer.from(await (await db.dumpDataDir("gzip")).arrayBuffer());
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, dump);
    await rename(`${path}.tmp`, path);
    return { path, bytes: dump.length };
  } finally {
    await db.close();
  }
}

/** Whether a data folder already holds a cluster (then it is opened as it is). */
export function hasCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, "PG_VERSION"));
}
