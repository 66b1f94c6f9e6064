import { minuteSlot } from "./cron-slot.ts";
import type { Runtime } from "./runtime.ts";
import { runMinute } from "./scheduled-jobs.ts";

/** Minutes caught up after a stall (a long poll, a paused process); older slots are skipped. */
const CATCH_UP_MINUTES = 15;

/**
 * Runs each minute's schedules once and in order: a tick that finds earlier minutes not yet run (the
 * previous tick was still busy, or the process stalled) runs them first, so no digest slot is dropped.
 * Claims in `schedule_runs` still make each slot run once across replicas.
 */
export function minuteRunner(rt: Runtime) {
  let lastRun = minuteSlot(rt.clock.now()).getTime() - 60_000;
  let queue: Promise<unknown> = Promise.resolve();
  const catchUp = async () => {
    const current = minuteSlot(rt.clock.now()).getTime();
    for (let t = Math.max(lastRun + 60_000, current - CATCH_UP_MINUTES * 60_000); t <= current; t += 60_000) {
      await runMinute(rt, rt.config.workspace, new Date(t));
      lastRun = t;
    }
  };
  return {
    tick: () => {
      queue = queue.then(catchUp, catchUp);
      return queue;
    },
  };
}
