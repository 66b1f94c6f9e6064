const MS_PER_DAY = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 for a YYYY-MM-DD day, or null when it is not a real calendar day. */
export function dayNumber(day: string): number | null {
  if (!DAY.test(day)) return null;
  const n = Math.round(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / MS_PER_DAY,
  );
  return isoDay(n) === day ? n : null;
}

export function isoDay(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}
