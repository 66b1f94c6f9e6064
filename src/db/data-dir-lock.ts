import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ClgError } from "../errors.ts";

const LOCK_FILE = "clg.lock";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite does not lock its data folder, and two processes writing one folder corrupt it. A pid file
 * taken with O_EXCL makes the second opener fail with a clear message; a lock left by a dead process is
 * taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: "wx" });
      const release = () => rmSync(path, { force: true });
      process.once("exit", release);
      return () => {
        process.off("exit", release);
        release();
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new ClgError(
          "clg_db_unreachable",
          `The data folder ${dataDir} is in use by another clg process (pid ${pid}).`,
          {
            hint: "Stop the other process, point CLG_DATA_DIR at another folder, or set DATABASE_URL to share a PostgreSQL server between processes.",
          },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new ClgError("clg_db_unreachable", `Cannot lock the data folder ${dataDir}.`);
}
