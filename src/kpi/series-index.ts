import { type DayRow, rowsByDay } from "./rows-by-day.ts";
import type { Sample } from "./sample.ts";

/**
 * Prefix sums over one KPI-segment's daily samples, built once and then asked for any day range in
 * O(log n) (two binary searches). Arrays are indexed by position in the sorted list of days with samples;
 * arrays for a field no sample has may be longer shared fillers, so read them only below `length`.
 */
export interface SeriesIndex {
  readonly length: number;
  /** Sorted, unique day numbers (days since 1970-01-01). */
  readonly days: Int32Array;
  /** Raw values and denominators per position; NaN where the sample had none. */
  readonly value: Float64Array;
  readonly den: Float64Array;
  /**
   * Prefix arrays have length + 1 entries: entry i covers positions [0, i). Each float prefix sum has an
   * `...Err` twin holding the rounding error of its running sum (Neumaier), so a window read by
   * subtraction (`rangeSum`) gives 0.5 for 0.1 + 0.2 + 0.3 - 0.1, not 0.5000000000000001.
   */
  readonly valueSum: Float64Array;
  readonly valueErr: Float64Array;
  /** Prefix sums of absolute values: the scale a window sum is rounded at (see `rangeSum`). */
  readonly valueAbs: Float64Array;
  readonly valueCount: Int32Array;
  readonly numSum: Float64Array;
  readonly numErr: Float64Array;
  readonly numAbs: Float64Array;
  readonly denSum: Float64Array;
  readonly denErr: Float64Array;
  readonly denAbs: Float64Array;
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

const isBad = (x: number | null): boolean => x !== null && !Number.isFinite(x);
const usable = (x: number | null): x is number => x !== null && Number.isFinite(x);

/**
 * Arrays for fields no sample carries are shared, read-only fillers (zeros, or -1 for "no value yet"),
 * so a count KPI does not pay for rate or histogram arrays. Indexes are never written after building.
 */
let zerosF = new Float64Array(0);
let zerosI = new Int32Array(0);
let minusOnes = new Int32Array(0);
function filler(n: number) {
  if (zerosF.length < n) {
    const size = Math.max(n, zerosF.length * 2, 1024);
    zerosF = new Float64Array(size);
    zerosI = new Int32Array(size);
    minusOnes = new Int32Array(size).fill(-1);
  }
  return { f: zerosF, i: zerosI, m: minusOnes };
}

/** Build the index for one KPI and one segment (the caller filters). Samples may come in any order. */
export function buildSeriesIndex(samples: readonly Sample[]): SeriesIndex {
  const { days, rows } = rowsByDay(samples);
  const n = rows.length;
  const keys = new Set<string>();
  let anyValue = false;
  let anyRate = false;
  for (const r of rows) {
    if (r.value !== null) anyValue = true;
    if (r.num !== null && r.den !== null) anyRate = true;
    if (r.dist) for (const k in r.dist) keys.add(k);
  }
  const distKeys = [...keys];
  const fill = filler(n + 1);
  const f = (on: boolean, len: number) => (on ? new Float64Array(len) : fill.f);
  const i32 = (on: boolean, len: number) => (on ? new Int32Array(len) : fill.i);
  const idx = {
    length: n,
    days,
    value: f(anyValue, n),
    den: f(anyRate, n),
    valueSum: f(anyValue, n + 1),
    valueErr: f(anyValue, n + 1),
    valueAbs: f(anyValue, n + 1),
    valueCount: i32(anyValue, n + 1),
    numSum: f(anyRate, n + 1),
    numErr: f(anyRate, n + 1),
    numAbs: f(anyRate, n + 1),
    denSum: f(anyRate, n + 1),
    denErr: f(anyRate, n + 1),
    denAbs: f(anyRate, n + 1),
    rateCount: i32(anyRate, n + 1),
    distCount: i32(distKeys.length > 0, n + 1),
    badCount: new Int32Array(n + 1),
    lastValueAt: anyValue ? new Int32Array(n) : fill.m,
    firstRateAt: i32(anyRate, n),
    distKeys,
    distSum: distKeys.map(() => new Float64Array(n + 1)),
  };
  let lastValue = -1;
  for (let i = 0; i < n; i++) {
    const r = rows[i] as DayRow;
    let bad = isBad(r.value) || isBad(r.num) || isBad(r.den);
    if (r.dist) for (const k in r.dist) if (!Number.isFinite(r.dist[k])) bad = true;
    idx.badCount[i + 1] = (idx.badCount[i] as number) + (bad ? 1 : 0);
    if (anyValue) {
      const has = usable(r.value);
      idx.value[i] = has ? (r.value as number) : Number.NaN;
      addTo(idx.valueSum, idx.valueErr, idx.valueAbs, i, has ? (r.value as number) : 0);
      idx.valueCount[i + 1] = (idx.valueCount[i] as number) + (has ? 1 : 0);
      if (has) lastValue = i;
      idx.lastValueAt[i] = lastValue;
    }
    if (anyRate) {
      const has = usable(r.num) && usable(r.den);
      idx.den[i] = has ? (r.den as number) : Number.NaN;
      addTo(idx.numSum, idx.numErr, idx.numAbs, i, has ? (r.num as number) : 0);
      addTo(idx.denSum, idx.denErr, idx.denAbs, i, has ? (r.den as number) : 0);
      idx.rateCount[i + 1] = (idx.rateCount[i] as number) + (has ? 1 : 0);
    }
    if (distKeys.length > 0) {
      idx.distCount[i + 1] = (idx.distCount[i] as number) + (r.dist && !bad ? 1 : 0);
      for (let j = 0; j < distKeys.length; j++) {
        const arr = idx.distSum[j] as Float64Array;
        const c = r.dist?.[distKeys[j] as string];
        arr[i + 1] = (arr[i] as number) + (c !== undefined && Number.isFinite(c) ? c : 0);
      }
    }
  }
  if (anyRate) {
    let firstRate = n;
    for (let i = n - 1; i >= 0; i--) {
      if (!Number.isNaN(idx.den[i] as number)) firstRate = i;
      idx.firstRateAt[i] = firstRate;
    }
  }
  return idx;
}

/** Neumaier step: sum[i + 1] = sum[i] + x, with the rounding error carried in err[i + 1]. */
function addTo(sum: Float64Array, err: Float64Array, abs: Float64Array, i: number, x: number): void {
  const a = sum[i] as number;
  const t = a + x;
  const e = Math.abs(a) >= Math.abs(x) ? a - t + x : x - t + a;
  sum[i + 1] = t;
  err[i + 1] = (err[i] as number) + e;
  abs[i + 1] = (abs[i] as number) + Math.abs(x);
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The sum over positions [lo, hi) of a compensated prefix sum (the difference itself taken exactly),
 * rounded to 12 digits of the window's sum of absolute values. Inputs such as 0.1 carry binary
 * representation error relative to their own size, which a cancelling sum (663.44 - 718) magnifies
 * relative to the result; rounding at the inputs' scale removes exactly that, so 0.1 + 0.2 + 0.3 read
 * after 0.1 is 0.5 and -54.56 is -54.56.
 */
export function rangeSum(
  sum: Float64Array,
  err: Float64Array,
  abs: Float64Array,
  lo: number,
  hi: number,
): number {
  const a = sum[hi] as number;
  const b = -(sum[lo] as number);
  const d = a + b;
  const bv = d - a;
  const e = a - (d - bv) + (b - bv);
  const exact = d + (e + ((err[hi] as number) - (err[lo] as number)));
  const scale = (abs[hi] as number) - (abs[lo] as number);
  // Integer sums (counts, most totals) are exact already; only fractions carry representation error.
  if (Number.isInteger(exact) || !(scale > 0) || !Number.isFinite(exact)) return exact;
  const k = 12 - Math.floor(Math.log10(scale));
  if (k > 22) return exact;
  if (k >= 0) return Math.round(exact * (POW10[k] as number)) / (POW10[k] as number);
  const p = POW10[Math.min(22, -k)] as number;
  return Math.round(exact / p) * p;
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
