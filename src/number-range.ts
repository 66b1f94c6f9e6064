/**
 * The largest magnitude a KPI value, threshold, target or imported number may have: 10^15. Doubles hold
 * every whole number only up to 2^53 (about 9 x 10^15), so larger numbers would be stored and compared
 * inexactly, and no business figure comes near it (a trillion dollars in cents is 10^14). Infinity and
 * NaN are never numbers a KPI can have.
 */
export const MAX_MAGNITUDE = 1e15;

/** The range in words, for error messages. */
export const RANGE_TEXT = "between -10^15 and 10^15";

/** Why a number cannot be stored, or null when it can. */
export function numberProblem(n: number): string | null {
  if (Number.isNaN(n)) return "is not a number";
  if (!Number.isFinite(n) || Math.abs(n) > MAX_MAGNITUDE)
    return `is outside the range ${RANGE_TEXT} (larger numbers cannot be stored exactly)`;
  return null;
}
