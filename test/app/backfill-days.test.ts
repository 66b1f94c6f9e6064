import { describe, expect, it } from "vitest";
import { parseBackfillDays } from "../../src/app/backfill-days.ts";

describe("clg poll --backfill", () => {
  it.each([
    ["400d", 400],
    ["90", 90],
    [" 3650D ", 3650],
  ])("reads %s as %i days", (text, days) => {
    expect(parseBackfillDays(text)).toBe(days);
  });

  it.each(["0d", "4000d", "1y", "many"])("refuses %s with a hint", (text) => {
    expect(() => parseBackfillDays(text)).toThrow(`--backfill "${text}" is not a number of days.`);
  });
});
