/** Median of numbers (the input is not changed). NaN for an empty list. Linear-time selection. */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const a = Float64Array.from(xs);
  const mid = n >> 1;
  const upper = select(a, mid);
  if (n % 2 === 1) return upper;
  // After selecting `mid`, everything left of it is <= it: the lower middle is the largest of those.
  let lower = a[0] as number;
  for (let i = 1; i < mid; i++) if ((a[i] as number) > lower) lower = a[i] as number;
  return (lower + upper) / 2;
}

/** Rearranges `a` so a[k] is the k-th smallest, smaller ones before it (Hoare's selection). */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1] as number;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k] as number;
}

/** Scale that makes the median absolute deviation estimate the standard deviation of normal data. */
export const MAD_SCALE = 1.4826;

/** Median absolute deviation around the median (unscaled). */
export function medianAbsoluteDeviation(xs: ArrayLike<number>, center = median(xs)): number {
  const devs = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) devs[i] = Math.abs((xs[i] as number) - center);
  return median(devs);
}
