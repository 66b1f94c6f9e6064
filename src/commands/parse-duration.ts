import { ClgError, err, ok, type Result } from "../errors.ts";

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };
const UNIT_WORDS: Record<string, string> = {
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
  w: "w",
  wk: "w",
  wks: "w",
  week: "w",
  weeks: "w",
};

export const MAX_SNOOZE_MINUTES = 90 * 1440;

export const DURATION_HINT = "Write a number and a unit: `30m`, `2h`, `3d` or `1w` (at most 90 days).";

export interface Duration {
  minutes: number;
  /** Canonical short form, "2h". */
  text: string;
}

/** Reads `30m`, `2h`, `3d`, `1w`, also `2 hours` or `1 week`; at most 90 days. */
export function parseDuration(input: string): Result<Duration, ClgError> {
  const match = /^(\d{1,6})\s*([a-z]+)$/i.exec(input.trim());
  const unit = match ? UNIT_WORDS[(match[2] as string).toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    const shown = input.trim() === "" ? "Missing how long" : `"${input.trim()}" is not a duration`;
    return err(new ClgError("clg_bad_duration", `${shown}.`, { hint: DURATION_HINT }));
  }
  const amount = Number(match[1]);
  const minutes = amount * (UNIT_MINUTES[unit] as number);
  if (minutes < 1)
    return err(
      new ClgError("clg_bad_duration", "A snooze must last at least a minute.", { hint: DURATION_HINT }),
    );
  if (minutes > MAX_SNOOZE_MINUTES) {
    return err(
      new ClgError("clg_bad_duration", `"${input.trim()}" is too long: a snooze lasts at most 90 days.`, {
        hint: DURATION_HINT,
      }),
    );
  }
  return ok({ minutes, text: `${amount}${unit}` });
}
