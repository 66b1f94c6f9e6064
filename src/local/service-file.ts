import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const FILE = "service.json";

const serviceFileSchema = z.object({
  pid: z.number().int().positive(),
  port: z.number().int().positive(),
  /** This start's secret for the local endpoints; the file is readable by its owner only. */
  token: z.string().min(32),
});
export type ServiceFile = z.infer<typeof serviceFileSchema>;

/**
 * PGlite allows one process per data folder, so while the service runs, `clg ask` reaches it over
 * loopback instead of opening the folder. The running service leaves its port and token here, in a file
 * only the operator can read (written aside with mode 0600, then renamed, so it is never readable by
 * others, even for a moment).
 */
export function writeServiceFile(dataDir: string, info: ServiceFile): () => void {
  const path = join(dataDir, FILE);
  const temp = `${path}.${info.pid}.tmp`;
  try {
    mkdirSync(dataDir, { recursive: true });
    rmSync(temp, { force: true });
    writeFileSync(temp, JSON.stringify(info), { mode: 0o600, flag: "wx" });
    renameSync(temp, path);
  } catch {
    // A read-only folder only means `clg ask` opens the database itself instead of asking the service.
    try {
      rmSync(temp, { force: true });
    } catch {
      // Nothing was written.
    }
    return () => {};
  }
  const remove = () => {
    try {
      const current = serviceFileSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
      if (current.success && current.data.pid === info.pid) rmSync(path, { force: true });
    } catch {
      // Already gone: nothing to clean up.
    }
  };
  process.once("exit", remove);
  return remove;
}

/** The running service of this data folder, or null when none is alive. */
export function findRunningService(dataDir: string): ServiceFile | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dataDir, FILE), "utf8"));
  } catch {
    return null;
  }
  const parsed = serviceFileSchema.safeParse(raw);
  if (!parsed.success) return null;
  try {
    process.kill(parsed.data.pid, 0);
    return parsed.data;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM" ? parsed.data : null;
  }
}
