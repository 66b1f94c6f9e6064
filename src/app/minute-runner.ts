import { listWorkspaces } from "../db/workspaces-repository.ts";
import { minuteSlot } from "./cron-slot.ts";
import type { Runtime } from "./runtime.ts";
import { runMinute } from "./scheduled-jobs.ts";

/**
 * Runs each minute's schedules for every workspace in the database, once and in order. The first tick
 * after a start looks back `scheduleCatchUpMinutes` (downtime, a restart), and a tick that finds earlier
 * minutes not yet run (the previous tick was busy, the process stalled) runs them first; claims in
 * `schedule_runs` make each slot run once across replicas and restarts, so a look-back never doubles.
 */
export function minuteRunner(rt: Runtime, signal?: AbortSignal) {
  const window = rt.config.scheduleCatchUpMinutes * 60_000;
  let lastRun = minuteSlot(rt.clock.now()).getTime() - window - 60_000;
  let queue: Promise<unknown> = Promise.resolve();
  // Minutes that failed (the database went away mid-minute): tried again on later ticks within the window.
  const failed = new Set<number>();
  const runSlot = async (t: number, polledThisRun: Set<string>) => {
    let ok = true;
    try {
      for (const ws of await listWorkspaces(rt.db)) {
        if (signal?.aborted) return;
        try {
          await runMinute(rt, ws.id, new Date(t), { polledThisRun, ...(signal ? { signal } : {}) });
        } catch (err) {
          // One workspace's failure (a bad catalog, a source down) must not stop the others' schedules.
          ok = false;
          rt.logger.error(
            { err, workspace: ws.id, slot: new Date(t).toISOString() },
            "schedules of a workspace failed",
          );
        }
      }
    } catch (err) {
      ok = false;
      rt.logger.error({ err, slot: new Date(t).toISOString() }, "schedules could not run");
    }
    if (ok) failed.delete(t);
    else failed.add(t);
  };
  const catchUp = async () => {
    const current = minuteSlot(rt.clock.now()).getTime();
    const polledThisRun = new Set<string>();
    for (const t of [...failed].sort()) {
      if (signal?.aborted) return;
      if (t < current - window) failed.delete(t);
      else await runSlot(t, polledThisRun);
    }
    for (let t = Math.max(lastRun + 60_000, current - window); t <= current; t += 60_000) {
      if (signal?.aborted) return;
      await runSlot(t, polledThisRun);
      lastRun = t;
    }
  };
  return {
    /** Runs what is due; resolves to whether some minute failed and should be tried again soon. */
    tick: async (): Promise<boolean> => {
      queue = queue.then(catchUp, catchUp);
      await queue;
      return failed.size > 0;
    },
  };
}
