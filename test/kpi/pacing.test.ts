import { describe, expect, it } from "vitest";
import type { Aggregation, Target } from "../../src/kpi/definition.ts";
import { applicableTarget, paceTarget } from "../../src/kpi/pacing.ts";

const count: Aggregation = { kind: "count" };
const ratio: Aggregation = { kind: "ratio", scale: 100, denominator: "sum" };
const month = (value: number): Target => ({ period: "month", value });

describe("paceTarget", () => {
  // November 2026 has 30 days; on the 17th, 17/30 of the month has passed.
  const cases: [string, Aggregation, "up" | "down", Target, string, number, Record<string, unknown>][] = [
    [
      "on pace within 5% of the expected total",
      count,
      "up",
      month(100),
      "2026-11-17",
      59,
      { kind: "cumulative", status: "on_pace", remaining: 41, daysLeft: 13, behindPct: null },
    ],
    [
      "behind by 12%",
      count,
      "up",
      month(300),
      "2026-11-15",
      132,
      { status: "behind", remaining: 168, daysLeft: 15, perDay: 11.2 },
    ],
    ["ahead", count, "up", month(300), "2026-11-15", 200, { status: "ahead", behindPct: null }],
    [
      "met before the end",
      count,
      "up",
      month(300),
      "2026-11-20",
      310,
      { status: "met", remaining: 0, perDay: 0 },
    ],
    [
      "last day leaves no per-day figure",
      count,
      "up",
      month(300),
      "2026-11-30",
      250,
      { status: "behind", daysLeft: 0, perDay: null },
    ],
    ["a cap (down) under pace is ahead", count, "down", month(300), "2026-11-15", 100, { status: "ahead" }],
    ["a cap (down) over pace is behind", count, "down", month(300), "2026-11-15", 200, { status: "behind" }],
    [
      "a rate target compares levels",
      ratio,
      "up",
      { period: "quarter", value: 45 },
      "2026-11-15",
      42,
      { kind: "level", status: "behind", gap: 3, remaining: 3, expected: 45 },
    ],
    [
      "a rate at the target is met",
      ratio,
      "up",
      { period: "quarter", value: 45 },
      "2026-11-15",
      45,
      { status: "met", gap: 0 },
    ],
    [
      "a down level under the target is met",
      ratio,
      "down",
      { period: "week", value: 5 },
      "2026-11-15",
      4,
      { status: "met", gap: -1 },
    ],
  ];
  it.each(cases)("%s", (_what, aggregation, direction, target, asOf, value, expected) => {
    const out = paceTarget({ aggregation, direction }, target, asOf, "UTC", value);
    expect(out).toMatchObject(expected);
  });

  it("gives the figures a person reads: expected by now, behind %, per day", () => {
    const out = paceTarget({ aggregation: count, direction: "up" }, month(300), "2026-11-15", "UTC", 132);
    expect(out?.expected).toBe(150);
    expect(out?.behindPct).toBeCloseTo(12, 9);
    expect(out?.periodRange).toEqual({ start: "2026-11-01", end: "2026-11-30" });
    const onPace = paceTarget({ aggregation: count, direction: "up" }, month(100), "2026-11-17", "UTC", 59);
    expect(onPace?.perDay).toBeCloseTo(41 / 13, 9);
  });

  it("has nothing to say without a value", () => {
    expect(
      paceTarget({ aggregation: count, direction: "up" }, month(1), "2026-11-15", "UTC", null),
    ).toBeNull();
  });
});

describe("applicableTarget", () => {
  const targets: Target[] = [
    { period: "month", value: 100 },
    { period: "month", value: 150, from: "2026-10-01" },
    { period: "month", value: 200, from: "2027-01-01" },
    { period: "quarter", value: 500 },
  ];
  it.each([
    ["2026-09-30", "month", 100],
    ["2026-10-01", "month", 150],
    ["2027-02-01", "month", 200],
    ["2026-10-01", "quarter", 500],
    ["2026-10-01", "week", null],
  ] as const)("on %s the %s target is %s", (asOf, period, value) => {
    expect(applicableTarget(targets, period, asOf)?.value ?? null).toBe(value);
  });
});
