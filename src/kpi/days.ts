import type { DayRange } from "./window.ts";

const MS_PER_DAY = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(day: string): boolean {
  return DAY_PATTERN.test(day) && numberToDay(dayToNumber(day)) === day;
}

const digit = (s: string, i: number): number => s.charCodeAt(i) - 48;

/**
 * Days since 1970-01-01. Day arithmetic runs on these integers so it never meets DST or time zones.
 * Civil-date arithmetic (Howard Hinnant's days_from_civil) because evaluation calls this millions of times.
 */
export function dayToNumber(day: string): number {
  let y = digit(day, 0) * 1000 + digit(day, 1) * 100 + digit(day, 2) * 10 + digit(day, 3);
  const m = digit(day, 5) * 10 + digit(day, 6);
  const d = digit(day, 8) * 10 + digit(day, 9);
  if (m <= 2) y -= 1;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const dayNames: string[] = [];

/** The YYYY-MM-DD of a day number; strings are cached because the same few thousand days recur. */
export function numberToDay(n: number): string {
  const cached = n >= 0 && n < 200_000 ? dayNames[n] : undefined;
  if (cached !== undefined) return cached;
  const name = new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
  if (n >= 0 && n < 200_000) dayNames[n] = name;
  return name;
}

export function addDays(day: string, n: number): string {
  return numberToDay(dayToNumber(day) + n);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayToNumber(to) - dayToNumber(from);
}

/** Number of days in an inclusive range; 0 when it is empty (end before start). */
export function rangeLength(range: DayRange): number {
  return Math.max(0, daysBetween(range.start, range.end) + 1);
}

/** Every day of an inclusive range, in order. */
export function eachDay(range: DayRange): string[] {
  const first = dayToNumber(range.start);
  const last = dayToNumber(range.end);
  const out: string[] = [];
  for (let n = first; n <= last; n++) out.push(numberToDay(n));
  return out;
}

/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(day: string): number {
  const w = new Date(dayToNumber(day) * MS_PER_DAY).getUTCDay();
  return w === 0 ? 7 : w;
}
