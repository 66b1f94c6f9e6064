import { CronExpressionParser } from "cron-parser";

/** The start of the minute `at` falls in: the unit every schedule claims. */
export function minuteSlot(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

const wallFormat = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock time of `at` in `timezone`, as a Date whose UTC fields are that wall time (a "naive"
 * local time). Schedules are matched on wall time, so the zone's DST rules stay in Intl, in one place.
 */
export function wallTime(at: Date, timezone: string): Date {
  let f = wallFormat.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    wallFormat.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, Number(x.value)]));
  const n = (part: string) => p[part] ?? 0;
  return new Date(Date.UTC(n("year"), n("month") - 1, n("day"), n("hour"), n("minute")));
}

/** "2026-11-01T01:30": the local date and time a slot is known by (the claim key). */
export function localSlotKey(wall: Date): string {
  return wall.toISOString().slice(0, 16);
}

/**
 * Whether a five-field cron expression fires at this UTC minute in `timezone`, and under which local time.
 * The expression is matched against wall-clock time:
 * - a local time that occurs twice (autumn) matches at both instants but yields the same local key, so a
 *   claim keyed by it fires once;
 * - a local time that does not exist (spring) fires at the next valid minute: the minute after a gap fires
 *   when any time in the gap (or the minute itself) matches, once, keyed by that minute's local time.
 * A bad expression never fires.
 */
export function cronSlotAt(expression: string, timezone: string, slot: Date): { localKey: string } | null {
  try {
    const wall = wallTime(slot, timezone);
    const previous = wallTime(new Date(slot.getTime() - 60_000), timezone);
    // Normally the previous minute's wall time is one minute earlier; after a spring gap it is further back.
    const from = previous < wall ? previous : new Date(wall.getTime() - 60_000);
    const next = CronExpressionParser.parse(expression, { currentDate: from, tz: "UTC" }).next().toDate();
    return next.getTime() <= wall.getTime() ? { localKey: localSlotKey(wall) } : null;
  } catch {
    return null;
  }
}

/** Whether a five-field cron expression fires at this minute in `timezone`. */
export function cronFiresAt(expression: string, timezone: string, slot: Date): boolean {
  return cronSlotAt(expression, timezone, slot) !== null;
}
