import { dayToNumber } from "./days.ts";
import type { Sample } from "./sample.ts";

/** The fields of a day the index reads (a Sample, or several samples of one day added together). */
export interface DayRow {
  value: number | null;
  num: number | null;
  den: number | null;
  dist: Record<string, number> | null;
}

const addNullable = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : a + b;

/**
 * Rows in day order with one row per day. Already sorted, unique input (the usual case: rows from the
 * store ordered by day) is used as it is; otherwise samples of the same day are added together.
 */
export function rowsByDay(samples: readonly Sample[]): { days: Int32Array; rows: readonly DayRow[] } {
  let ordered = true;
  for (let i = 1; i < samples.length && ordered; i++)
    ordered = (samples[i - 1] as Sample).day < (samples[i] as Sample).day;
  if (ordered) return { days: Int32Array.from(samples, (s) => dayToNumber(s.day)), rows: samples };
  const sorted = [...samples].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const days: number[] = [];
  const rows: DayRow[] = [];
  for (const r of sorted) {
    const day = dayToNumber(r.day);
    const last = rows[rows.length - 1];
    if (!last || days[days.length - 1] !== day) {
      days.push(day);
      rows.push({ value: r.value, num: r.num, den: r.den, dist: r.dist ? { ...r.dist } : null });
      continue;
    }
    last.value = addNullable(last.value, r.value);
    last.num = addNullable(last.num, r.num);
    last.den = addNullable(last.den, r.den);
    if (r.dist) {
      last.dist ??= {};
      for (const [k, n] of Object.entries(r.dist)) last.dist[k] = (last.dist[k] ?? 0) + n;
    }
  }
  return { days: Int32Array.from(days), rows };
}
