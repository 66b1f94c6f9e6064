import { DateTime } from "luxon";
import { ClgError } from "../errors.ts";
import { addDays, dayToNumber, isDay, isoWeekday, numberToDay } from "./days.ts";
import type { DayRange } from "./window.ts";

export type CalendarPeriod = "week" | "month" | "quarter";

export interface ResolvedWindow {
  current: DayRange;
  previous: DayRange;
  label: string;
}

const ROLLING = /^([1-9]\d{0,2})d$/;

const knownZones = new Set<string>();

/** Throws a ClgError when the IANA zone is unknown, so a typo in the catalog is caught early. */
export function assertTimezone(timezone: string): void {
  if (knownZones.has(timezone)) return;
  if (DateTime.now().setZone(timezone).isValid) knownZones.add(timezone);
  else {
    throw new ClgError("clg_bad_timezone", `"${timezone}" is not a time zone I know.`, {
      hint: 'Use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC".',
    });
  }
}

/** The calendar day (YYYY-MM-DD) that `now` falls on in `timezone`. */
export function dayInZone(now: Date, timezone: string): string {
  const dt = DateTime.fromJSDate(now, { zone: timezone });
  if (!dt.isValid) assertTimezone(timezone);
  return dt.toISODate() as string;
}

/** Yesterday in `timezone`: the newest day whose data is complete. */
export function lastCompleteDay(now: Date, timezone: string): string {
  return addDays(dayInZone(now, timezone), -1);
}

/** First day of the week (Monday), month or quarter containing `day`. */
export function periodStart(period: CalendarPeriod, day: string): string {
  if (period === "week") return addDays(day, 1 - isoWeekday(day));
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  const month = period === "month" ? m : Math.floor((m - 1) / 3) * 3 + 1;
  return `${y}-${String(month).padStart(2, "0")}-01`;
}

/** Whole calendar period containing `day`. */
export function periodRange(period: CalendarPeriod, day: string): DayRange {
  const start = periodStart(period, day);
  if (period === "week") return { start, end: addDays(start, 6) };
  const months = period === "month" ? 1 : 3;
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7)) - 1 + months;
  const nextStart = `${y + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01`;
  return { start, end: addDays(nextStart, -1) };
}

export function isCalendarWindow(window: string): window is CalendarPeriod {
  return window === "week" || window === "month" || window === "quarter";
}

/** Length in days of a rolling window ("28d" -> 28), or null for calendar windows. */
export function rollingDays(window: string): number | null {
  const m = ROLLING.exec(window);
  return m ? Number(m[1]) : null;
}

const cache = new Map<string, ResolvedWindow>();

/**
 * The current and previous day ranges of a window evaluated on `asOf` (a day in the catalog's timezone).
 * Rolling `<N>d`: N days ending on `asOf`, previous = the N days before. Calendar: period start..asOf,
 * previous = as many days from the previous period's start, cut at that period's end (March 1-31 compares
 * with February 1-28).
 */
export function resolveWindow(window: string, asOf: string, timezone: string): ResolvedWindow {
  const key = `${window}|${asOf}|${timezone}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!isDay(asOf)) throw new ClgError("clg_bad_window", `"${asOf}" is not a day written YYYY-MM-DD.`);
  assertTimezone(timezone);
  const resolved = compute(window, asOf);
  if (cache.size > 5_000) cache.clear();
  cache.set(key, resolved);
  return resolved;
}

function compute(window: string, asOf: string): ResolvedWindow {
  const n = rollingDays(window);
  if (n !== null && n <= 730) {
    const end = dayToNumber(asOf);
    return {
      current: { start: numberToDay(end - n + 1), end: asOf },
      previous: { start: numberToDay(end - 2 * n + 1), end: numberToDay(end - n) },
      label: n === 1 ? "yesterday" : `last ${n} days`,
    };
  }
  if (!isCalendarWindow(window)) {
    throw new ClgError("clg_bad_window", `"${window}" is not a window.`, {
      hint: 'Use "<N>d" (7d, 28d, 90d, up to 730d), "week", "month" or "quarter".',
      suggestions: ["7d", "28d", "90d", "week", "month", "quarter"],
    });
  }
  const start = periodStart(window, asOf);
  const elapsed = dayToNumber(asOf) - dayToNumber(start);
  const prev = periodRange(window, addDays(start, -1));
  const prevEnd = Math.min(dayToNumber(prev.start) + elapsed, dayToNumber(prev.end));
  return {
    current: { start, end: asOf },
    previous: { start: prev.start, end: numberToDay(prevEnd) },
    label: `${window} to date`,
  };
}
