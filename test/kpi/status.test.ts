import { describe, expect, it } from "vitest";
import type { ThresholdRule } from "../../src/kpi/definition.ts";
import { computeDelta } from "../../src/kpi/delta.ts";
import { classify } from "../../src/kpi/thresholds.ts";
import { kpi } from "./fixtures.ts";

describe("computeDelta", () => {
  const cases: [string, "percent" | "count", "up" | "down", number | null, number | null, object | null][] = [
    [
      "percent KPI moves in points",
      "percent",
      "up",
      46,
      50,
      { absolute: -4, relative: -8, unit: "pp", good: false },
    ],
    [
      "count KPI up is good",
      "count",
      "up",
      120,
      100,
      { absolute: 20, relative: 20, unit: "abs", good: true },
    ],
    [
      "down KPI falling is good",
      "percent",
      "down",
      3,
      4,
      { absolute: -1, relative: -25, unit: "pp", good: true },
    ],
    ["no change is neither", "count", "up", 5, 5, { absolute: 0, relative: 0, unit: "abs", good: null }],
    [
      "previous 0 has no relative change",
      "count",
      "up",
      5,
      0,
      { absolute: 5, relative: null, unit: "abs", good: true },
    ],
    [
      "negative previous keeps the sign of the move",
      "count",
      "up",
      -5,
      -10,
      { absolute: 5, relative: 50, unit: "abs", good: true },
    ],
    ["no current value", "count", "up", null, 4, null],
    ["no previous value", "count", "up", 4, null, null],
  ];
  it.each(cases)("%s", (_what, unit, direction, current, previous, expected) => {
    expect(computeDelta({ unit, direction }, current, previous)).toEqual(expected);
  });
});

describe("classify", () => {
  const up: ThresholdRule[] = [
    { status: "red", below: 30 },
    { status: "amber", below: 50 },
  ];
  const down: ThresholdRule[] = [
    { status: "red", above: 8 },
    { status: "amber", above: 5 },
  ];
  const cases: [string, ThresholdRule[], string, number | null, string, string][] = [
    ["up: under the amber line", up, "28d", 46.2, "amber", "46.2 is below 50 (amber)"],
    ["up: the first matching rule wins", up, "28d", 12, "red", "12 is below 30 (red)"],
    [
      "up: the boundary itself is not below",
      up,
      "28d",
      50,
      "green",
      "50 is not below 30 or below 50 (green)",
    ],
    ["down: over the red line", down, "28d", 9.5, "red", "9.5 is above 8 (red)"],
    ["down: between", down, "28d", 6, "amber", "6 is above 5 (amber)"],
    ["down: fine", down, "28d", 2, "green", "2 is not above 8 or above 5 (green)"],
    ["no data", up, "28d", null, "no_data", "no usable data in the window (no_data)"],
    ["no thresholds", [], "28d", 1, "green", "no thresholds for this window (no status)"],
    [
      "a rule for another window does not apply",
      [{ status: "red", below: 100, window: "7d" }],
      "28d",
      10,
      "green",
      "no thresholds for this window (no status)",
    ],
    [
      "a rule for this window applies",
      [{ status: "red", below: 100, window: "7d" }, ...up],
      "7d",
      60,
      "red",
      "60 is below 100 (red)",
    ],
    ["numbers are shortened", up, "28d", 46.23456, "amber", "46.23 is below 50 (amber)"],
  ];
  it.each(cases)("%s", (_what, thresholds, window, value, status, why) => {
    const out = classify(kpi({ thresholds }), window, value);
    expect(out.status).toBe(status);
    expect(out.why).toBe(why);
  });

  it("returns the matched rule", () => {
    expect(classify(kpi({ thresholds: up }), "7d", 40).rule).toEqual({ status: "amber", below: 50 });
  });
});
