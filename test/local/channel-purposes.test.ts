import { describe, expect, it } from "vitest";
import { digestCadence } from "../../src/local/channel-purposes.ts";

describe("what a digest channel is for, read from its schedule", () => {
  it.each([
    ["0 9 * * 1", "the weekly digest"],
    ["30 8 * * MON", "the weekly digest"],
    ["0 9 * * *", "the daily digest"],
    ["0 9 1 * *", "the monthly digest"],
    ["0 9 * * 1-5", "the digest"],
    ["0 9 * 1 1", "the digest"],
    ["not a cron", "the digest"],
  ])("%s reads as %s", (cron, expected) => {
    expect(digestCadence(cron)).toBe(expected);
  });

  it("a subscription without a schedule is just the digest", () => {
    expect(digestCadence(null)).toBe("the digest");
  });
});
