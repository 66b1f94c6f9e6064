import { ClgError } from "../errors.ts";

const MAX_BACKFILL_DAYS = 3650;

/** `400d` (or `400`) as a number of days of history to fetch again, for `clg poll SOURCE --backfill 400d`. */
export function parseBackfillDays(text: string): number {
  const m = /^\s*(\d{1,4})\s*d?\s*$/i.exec(text);
  const days = m ? Number(m[1]) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_BACKFILL_DAYS) {
    throw new ClgError("clg_bad_duration", `--backfill "${text}" is not a number of days.`, {
      hint: `Write days of history up to yesterday, e.g. --backfill 400d (1 to ${MAX_BACKFILL_DAYS}).`,
    });
  }
  return days;
}
