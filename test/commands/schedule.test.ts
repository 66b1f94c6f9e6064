import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/commands/parse-duration.ts";
import { parseCron, parseTimezone } from "../../src/commands/parse-schedule.ts";

describe("parseCron", () => {
  it.each([
    ["daily", "0 9 * * *"],
    ["WEEKDAYS", "0 9 * * 1-5"],
    ["weekly", "0 9 * * 1"],
    ["0   9 * * MON", "0 9 * * MON"],
    ["0,30 8 * * 1-5", "0,30 8 * * 1-5"],
  ])("%j -> %j", (input, expected) => {
    expect(parseCron(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    "",
    "not a cron",
    "* * * * *",
    "*/5 * * * *",
    "0 0 9 * * *",
    "0 25 * * *",
    "0 9 * * 8",
    "0 9 32 * *",
  ])("%j is refused with clg_bad_cron", (input) => {
    const result = parseCron(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("clg_bad_cron");
  });
});

describe("parseTimezone", () => {
  it.each([
    ["UTC", "UTC"],
    ["europe/berlin", "Europe/Berlin"],
    ["America/New_York", "America/New_York"],
  ])("%j -> %j", (input, expected) => {
    expect(parseTimezone(input)).toEqual({ ok: true, value: expected });
  });

  it.each(["Mars/Olympus", "+01:00", "", "Europe/Berlin; drop table"])("%j is refused", (input) => {
    const result = parseTimezone(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("clg_bad_timezone");
  });
});

describe("parseDuration", () => {
  it.each([
    ["30m", 30],
    ["2h", 120],
    ["3d", 4320],
    ["1w", 10080],
    ["45 minutes", 45],
    ["12W", 120960],
    ["90d", 129600],
  ])("%j -> %d minutes", (input, minutes) => {
    const result = parseDuration(input);
    expect(result.ok && result.value.minutes).toBe(minutes);
  });

  it.each(["", "0m", "91d", "13w", "2", "h", "2y", "-1h", "1.5h", "9999999w"])("%j is refused", (input) => {
    const result = parseDuration(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.hint).toContain("`30m`, `2h`, `3d` or `1w`");
  });
});
