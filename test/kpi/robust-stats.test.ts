import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { median, medianAbsoluteDeviation } from "../../src/kpi/robust-stats.ts";

describe("median", () => {
  it.each([
    [[], Number.NaN],
    [[5], 5],
    [[3, 1], 2],
    [[9, 1, 5], 5],
    [[4, 4, 4, 1], 4],
    [[1, 2, 3, 4, 100], 3],
  ])("median(%j) = %s", (xs, expected) => {
    expect(median(xs)).toBe(expected);
  });

  it("agrees with sorting for any list (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 200 }), (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        const m = s.length >> 1;
        const expected = s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
        expect(median(xs)).toBe(expected);
      }),
    );
  });

  it("leaves the input alone and measures spread robustly", () => {
    const xs = [10, 12, 11, 13, 500];
    expect(medianAbsoluteDeviation(xs)).toBe(1);
    expect(xs).toEqual([10, 12, 11, 13, 500]);
  });
});
