/** Median of numbers (copied and sorted; the input is not changed). NaN for an empty list. */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const s = Float64Array.from(xs as ArrayLike<number>).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Scale that makes the median absolute deviation estimate the standard deviation of normal data. */
export const MAD_SCALE = 1.4826;

/** Median absolute deviation around the median (unscaled). */
export function medianAbsoluteDeviation(xs: ArrayLike<number>, center = median(xs)): number {
  const devs = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) devs[i] = Math.abs((xs[i] as number) - center);
  return median(devs);
}
