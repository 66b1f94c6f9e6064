import { CronExpressionParser } from "cron-parser";

/** The start of the minute `at` falls in: the unit every schedule claims. */
export function minuteSlot(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/** Whether a five-field cron expression fires at this minute in `timezone`. A bad expression never fires. */
export function cronFiresAt(expression: string, timezone: string, slot: Date): boolean {
  try {
    const next = CronExpressionParser.parse(expression, {
      currentDate: new Date(slot.getTime() - 1000),
      tz: timezone,
    }).next();
    return next.getTime() === slot.getTime();
  } catch {
    return false;
  }
}
