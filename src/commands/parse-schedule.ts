import { CronExpressionParser } from "cron-parser";
import { ClgError, err, ok, type Result } from "../errors.ts";
import { closest, didYouMean } from "./suggest.ts";

/** Friendly names for the schedules people ask for most; all at 09:00 in the subscription's time zone. */
export const CRON_SHORTCUTS: Record<string, string> = {
  daily: "0 9 * * *",
  weekdays: "0 9 * * 1-5",
  weekly: "0 9 * * 1",
  monthly: "0 9 1 * *",
};

const CRON_HINT =
  'Use `daily`, `weekdays`, `weekly` or `monthly` (09:00), or five cron fields in quotes: `"0 9 * * 1-5"` is 09:00 on weekdays.';

/**
 * Validates a schedule with cron-parser (the library the scheduler runs it with): five fields, as chat
 * and the catalog both take them. A digest also needs a fixed minute (a digest every minute would flood a
 * channel); a source's polling schedule may use `*\/15` and the like (`fixedMinute: false`).
 */
export function parseCron(text: string, opts: { fixedMinute?: boolean } = {}): Result<string, ClgError> {
  const shortcut = CRON_SHORTCUTS[text.trim().toLowerCase()];
  if (shortcut !== undefined) return ok(shortcut);
  const cron = text.trim().replace(/\s+/g, " ");
  const bad = (why: string) =>
    err(new ClgError("clg_bad_cron", `"${cron}" is not a schedule I can use: ${why}.`, { hint: CRON_HINT }));
  if (cron === "") return bad("it is empty");
  const fields = cron.split(" ");
  if (fields.length !== 5)
    return bad(`a schedule has 5 fields (minute hour day month weekday), this has ${fields.length}`);
  try {
    CronExpressionParser.parse(cron, { tz: "UTC", strict: false });
  } catch (e) {
    return bad(e instanceof Error ? e.message : "the cron parser rejects it");
  }
  if (opts.fixedMinute !== false && !/^\d{1,2}(,\d{1,2})*$/.test(fields[0] as string))
    return bad("the minute must be fixed (e.g. 0), not a range or *");
  return ok(cron);
}

let zoneNames: string[] | undefined;
function knownZones(): string[] {
  zoneNames ??= [...Intl.supportedValuesOf("timeZone"), "UTC"];
  return zoneNames;
}

/** An IANA time zone, returned in its canonical case ("europe/paris" -> "Europe/Paris"). */
export function parseTimezone(text: string): Result<string, ClgError> {
  try {
    const zone = new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
    // ICU may map a legacy name to another zone ("EST" -> "America/Panama"); keep what was typed then.
    return ok(zone.toLowerCase() === text.toLowerCase() ? zone : text);
  } catch {
    const candidates = knownZones().map((z) => ({ key: z.toLowerCase(), label: z, group: z }));
    const suggestions = closest(text, candidates);
    return err(
      new ClgError("clg_bad_timezone", `"${text}" is not a time zone I know.${didYouMean(suggestions)}`, {
        hint: 'Use an IANA name such as "Europe/Berlin", "America/New_York" or "UTC".',
        suggestions,
      }),
    );
  }
}
