import { dayToNumber } from "./days.ts";
import type { Sample } from "./sample.ts";

/**
 * Prefix sums over one KPI-segment's daily samples, built once and then asked for any day range in
 * O(log n) (two binary searches). Arrays are indexed by position in the sorted list of days with samples.
 */
export interface SeriesIndex {
  readonly length: number;
  /** Sorted, unique day numbers (days since 1970-01-01). */
  readonly days: Int32Array;
  /** Raw values per position; NaN where the sample had no value. */
  readonly value: Float64Array;
  readonly num: Float64Array;
  readonly den: Float64Array;
  /** Prefix arrays have length + 1 entries: entry i covers positions [0, i). */
  readonly valueSum: Float64Array;
  readonly valueCount: Int32Array;
  readonly numSum: Float64Array;
  readonly denSum: Float64Array;
  readonly rateCount: Int32Array;
  readonly distCount: Int32Array;
  /** Samples carrying NaN or Infinity: any in a window makes the window's value null. */
  readonly badCount: Int32Array;
  /** Position of the last sample at or before i with a value, or -1. */
  readonly lastValueAt: Int32Array;
  /** Position of the first sample at or after i with num and den, or length. */
  readonly firstRateAt: Int32Array;
  readonly distKeys: readonly string[];
  /** One prefix array per histogram key, same order as distKeys. */
  readonly distSum: readonly Float64Array[];
}

interface Merged {
  day: number;
  value: number | null;
  num: number | null;
  den: number | null;
  dist: Record<string, number> | null;
}

const addNullable = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : a + b;

/** Samples on the same day are added together (two rows for one day come from split loads). */
function mergeByDay(samples: readonly Sample[]): Merged[] {
  const rows: Merged[] = samples.map((s) => ({
    day: dayToNumber(s.day),
    value: s.value,
    num: s.num,
    den: s.den,
    dist: s.dist,
  }));
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++)
    sorted = (rows[i - 1] as Merged).day < (rows[i] as Merged).day;
  if (sorted) return rows;
  rows.sort((a, b) => a.day - b.day);
  const out: Merged[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (!last || last.day !== r.day) {
      out.push({ ...r, dist: r.dist ? { ...r.dist } : null });
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
  return out;
}

const isBad = (x: number | null): boolean => x !== null && !Number.isFinite(x);

/** Build the index for one KPI and one segment (the caller filters). Samples may come in any order. */
export function buildSeriesIndex(samples: readonly Sample[]): SeriesIndex {
  const rows = mergeByDay(samples);
  const n = rows.length;
  const keys = new Set<string>();
  for (const r of rows) if (r.dist) for (const k of Object.keys(r.dist)) keys.add(k);
  const distKeys = [...keys];
  const idx = {
    length: n,
    days: new Int32Array(n),
    value: new Float64Array(n),
    num: new Float64Array(n),
    den: new Float64Array(n),
    valueSum: new Float64Array(n + 1),
    valueCount: new Int32Array(n + 1),
    numSum: new Float64Array(n + 1),
    denSum: new Float64Array(n + 1),
    rateCount: new Int32Array(n + 1),
    distCount: new Int32Array(n + 1),
    badCount: new Int32Array(n + 1),
    lastValueAt: new Int32Array(n),
    firstRateAt: new Int32Array(n),
    distKeys,
    distSum: distKeys.map(() => new Float64Array(n + 1)),
  };
  let lastValue = -1;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as Merged;
    idx.days[i] = r.day;
    const bad =
      isBad(r.value) ||
      isBad(r.num) ||
      isBad(r.den) ||
      (r.dist !== null && Object.values(r.dist).some((c) => !Number.isFinite(c)));
    const hasValue = r.value !== null && Number.isFinite(r.value);
    const hasRate = r.num !== null && r.den !== null && Number.isFinite(r.num) && Number.isFinite(r.den);
    idx.value[i] = hasValue ? (r.value as number) : Number.NaN;
    idx.num[i] = hasRate ? (r.num as number) : Number.NaN;
    idx.den[i] = hasRate ? (r.den as number) : Number.NaN;
    idx.valueSum[i + 1] = (idx.valueSum[i] as number) + (hasValue ? (r.value as number) : 0);
    idx.valueCount[i + 1] = (idx.valueCount[i] as number) + (hasValue ? 1 : 0);
    idx.numSum[i + 1] = (idx.numSum[i] as number) + (hasRate ? (r.num as number) : 0);
    idx.denSum[i + 1] = (idx.denSum[i] as number) + (hasRate ? (r.den as number) : 0);
    idx.rateCount[i + 1] = (idx.rateCount[i] as number) + (hasRate ? 1 : 0);
    idx.distCount[i + 1] = (idx.distCount[i] as number) + (r.dist && !bad ? 1 : 0);
    idx.badCount[i + 1] = (idx.badCount[i] as number) + (bad ? 1 : 0);
    if (hasValue) lastValue = i;
    idx.lastValueAt[i] = lastValue;
    distKeys.forEach((k, j) => {
      const arr = idx.distSum[j] as Float64Array;
      const c = r.dist?.[k];
      arr[i + 1] = (arr[i] as number) + (c !== undefined && Number.isFinite(c) ? c : 0);
    });
  }
  let firstRate = n;
  for (let i = n - 1; i >= 0; i--) {
    if (!Number.isNaN(idx.num[i] as number)) firstRate = i;
    idx.firstRateAt[i] = firstRate;
  }
  return idx;
}

/** First position whose day is >= dayNumber. */
export function lowerBound(days: Int32Array, dayNumber: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) < dayNumber) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Positions [lo, hi) of the samples inside an inclusive day-number range. */
export function positionsIn(index: SeriesIndex, startDay: number, endDay: number): [number, number] {
  return [lowerBound(index.days, startDay), lowerBound(index.days, endDay + 1)];
}
