import { describe, expect, it } from "vitest";
import { addDays, eachDay, isoWeekday, rangeLength } from "../../src/kpi/days.ts";
import { dayInZone, lastCompleteDay, periodRange, resolveWindow } from "../../src/kpi/windows.ts";

describe("resolveWindow", () => {
  const cases: [string, string, string, string, string, string, string][] = [
    // what, window, asOf, current start, current end, previous start, previous end
    ["rolling 7d", "7d", "2026-03-10", "2026-03-04", "2026-03-10", "2026-02-25", "2026-03-03"],
    ["28d over a leap day", "28d", "2024-03-05", "2024-02-07", "2024-03-05", "2024-01-10", "2024-02-06"],
    [
      "7d over the Berlin DST switch still 7 days",
      "7d",
      "2026-03-31",
      "2026-03-25",
      "2026-03-31",
      "2026-03-18",
      "2026-03-24",
    ],
    ["1d is one day", "1d", "2026-01-01", "2026-01-01", "2026-01-01", "2025-12-31", "2025-12-31"],
    ["month mid-month", "month", "2026-03-15", "2026-03-01", "2026-03-15", "2026-02-01", "2026-02-15"],
    [
      "month end Mar 31 -> Feb cut at Feb 28",
      "month",
      "2026-03-31",
      "2026-03-01",
      "2026-03-31",
      "2026-02-01",
      "2026-02-28",
    ],
    [
      "month end in a leap year -> Feb 29",
      "month",
      "2024-03-30",
      "2024-03-01",
      "2024-03-30",
      "2024-02-01",
      "2024-02-29",
    ],
    [
      "Jan 31 compares with December",
      "month",
      "2026-01-31",
      "2026-01-01",
      "2026-01-31",
      "2025-12-01",
      "2025-12-31",
    ],
    [
      "Feb 28 compares with Jan 1-28",
      "month",
      "2026-02-28",
      "2026-02-01",
      "2026-02-28",
      "2026-01-01",
      "2026-01-28",
    ],
    [
      "first day of a quarter",
      "quarter",
      "2026-04-01",
      "2026-04-01",
      "2026-04-01",
      "2026-01-01",
      "2026-01-01",
    ],
    [
      "end of Q2 (91 days) vs Q1 (90 days)",
      "quarter",
      "2026-06-30",
      "2026-04-01",
      "2026-06-30",
      "2026-01-01",
      "2026-03-31",
    ],
    [
      "Q1 compares with Q4 of the year before",
      "quarter",
      "2026-02-10",
      "2026-01-01",
      "2026-02-10",
      "2025-10-01",
      "2025-11-10",
    ],
    [
      "ISO week across the year end (Thu Jan 1)",
      "week",
      "2026-01-01",
      "2025-12-29",
      "2026-01-01",
      "2025-12-22",
      "2025-12-25",
    ],
    ["ISO week on a Sunday", "week", "2027-01-03", "2026-12-28", "2027-01-03", "2026-12-21", "2026-12-27"],
    ["ISO week on its Monday", "week", "2026-11-23", "2026-11-23", "2026-11-23", "2026-11-16", "2026-11-16"],
  ];
  it.each(cases)("%s", (_what, window, asOf, cs, ce, ps, pe) => {
    const w = resolveWindow(window, asOf, "Europe/Berlin");
    expect(w.current).toEqual({ start: cs, end: ce });
    expect(w.previous).toEqual({ start: ps, end: pe });
  });

  it("labels windows for people", () => {
    expect(resolveWindow("28d", "2026-03-10", "UTC").label).toBe("last 28 days");
    expect(resolveWindow("month", "2026-03-10", "UTC").label).toBe("month to date");
  });

  it.each([["30x"], ["0d"], ["year"], [""]])("rejects the window %j with a coded error", (window) => {
    expect(() => resolveWindow(window, "2026-03-10", "UTC")).toThrow(
      expect.objectContaining({ code: "clg_bad_window" }),
    );
  });

  it("rejects an unknown time zone and a malformed day", () => {
    expect(() => resolveWindow("7d", "2026-03-10", "Mars/Olympus")).toThrow(
      expect.objectContaining({ code: "clg_bad_timezone" }),
    );
    expect(() => resolveWindow("7d", "2026-02-30", "UTC")).toThrow(
      expect.objectContaining({ code: "clg_bad_window" }),
    );
  });
});

describe("dayInZone and lastCompleteDay", () => {
  const cases: [string, string, string][] = [
    ["2026-03-10T23:30:00Z", "Asia/Tokyo", "2026-03-11"],
    ["2026-03-10T23:30:00Z", "UTC", "2026-03-10"],
    ["2026-03-11T03:00:00Z", "America/Los_Angeles", "2026-03-10"],
    ["2026-03-10T10:30:00Z", "Pacific/Kiritimati", "2026-03-11"],
    // Berlin springs forward on 2026-03-29: 00:30Z is 01:30 CET, 22:30Z is 00:30 CEST the next day.
    ["2026-03-29T00:30:00Z", "Europe/Berlin", "2026-03-29"],
    ["2026-03-29T22:30:00Z", "Europe/Berlin", "2026-03-30"],
    // Los Angeles springs forward on 2026-03-08 at 10:00Z.
    ["2026-03-08T07:30:00Z", "America/Los_Angeles", "2026-03-07"],
    ["2026-03-09T06:30:00Z", "America/Los_Angeles", "2026-03-08"],
    ["2026-11-01T07:30:00Z", "America/Los_Angeles", "2026-11-01"],
  ];
  it.each(cases)("%s in %s is %s", (iso, tz, day) => {
    expect(dayInZone(new Date(iso), tz)).toBe(day);
    expect(lastCompleteDay(new Date(iso), tz)).toBe(addDays(day, -1));
  });
});

it("rejects an unknown time zone when reading the day", () => {
  expect(() => dayInZone(new Date("2026-03-10T00:00:00Z"), "Europe/Atlantis")).toThrow(
    expect.objectContaining({ code: "clg_bad_timezone" }),
  );
});

describe("day helpers", () => {
  it.each([
    ["2026-12-31", 1, "2027-01-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2000-02-28", 1, "2000-02-29"],
    ["2100-02-28", 1, "2100-03-01"],
  ] as const)("addDays(%s, %i) = %s", (day, n, out) => {
    expect(addDays(day, n)).toBe(out);
  });

  it("lists each day of a range, leap day included", () => {
    expect(eachDay({ start: "2024-02-27", end: "2024-03-01" })).toEqual([
      "2024-02-27",
      "2024-02-28",
      "2024-02-29",
      "2024-03-01",
    ]);
    expect(rangeLength({ start: "2026-03-02", end: "2026-03-01" })).toBe(0);
  });

  it("knows ISO weekdays and period ranges", () => {
    expect(isoWeekday("2026-11-23")).toBe(1);
    expect(isoWeekday("2026-11-29")).toBe(7);
    expect(periodRange("month", "2024-02-10")).toEqual({ start: "2024-02-01", end: "2024-02-29" });
    expect(periodRange("quarter", "2026-12-05")).toEqual({ start: "2026-10-01", end: "2026-12-31" });
    expect(periodRange("week", "2026-01-01")).toEqual({ start: "2025-12-29", end: "2026-01-04" });
  });
});
