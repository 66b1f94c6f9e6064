import { z } from "zod";

/**
 * A window is either rolling (`7d`, `28d`, `90d`, any `<N>d` up to 730) or a calendar period to date
 * (`week` = ISO week starting Monday, `month`, `quarter`) in the catalog's timezone.
 *
 * Rolling windows end on the evaluation day (`asOf`, inclusive) and cover N days; their previous window is
 * the N days before. Calendar windows run from the period's first day to `asOf`; their previous window is
 * the same number of days from the start of the previous period.
 */
export const windowSchema = z
  .string()
  .regex(
    /^(?:[1-9]\d{0,2}d|week|month|quarter)$/,
    'a window is "<N>d" (e.g. 7d, 28d, 90d), "week", "month" or "quarter"',
  )
  .refine((w) => !w.endsWith("d") || Number(w.slice(0, -1)) <= 730, "rolling windows are at most 730d");
export type WindowName = z.infer<typeof windowSchema>;

export const CALENDAR_WINDOWS = ["week", "month", "quarter"] as const;

/** Inclusive ISO day range (YYYY-MM-DD). */
export interface DayRange {
  start: string;
  end: string;
}
