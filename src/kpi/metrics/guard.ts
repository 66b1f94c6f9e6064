/** Shared guards: every metric returns null rather than NaN, Infinity or a division by zero. */
export function finite(...xs: number[]): boolean {
  for (const x of xs) if (!Number.isFinite(x)) return false;
  return true;
}

/** a / b, or null when b is 0 or anything is not finite. */
export function safeDivide(a: number, b: number): number | null {
  if (!finite(a, b) || b === 0) return null;
  const q = a / b;
  return Number.isFinite(q) ? q : null;
}

/** a / b x 100, or null. */
export function percentOf(a: number, b: number): number | null {
  const q = safeDivide(a, b);
  return q === null ? null : q * 100;
}
