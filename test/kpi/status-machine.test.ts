import { describe, expect, it } from "vitest";
import { addDays } from "../../src/kpi/days.ts";
import type { Status } from "../../src/kpi/status.ts";
import { advanceStatus, type StoredStatus, shownStatus } from "../../src/kpi/status-machine.ts";
import { classify } from "../../src/kpi/thresholds.ts";
import { kpi } from "./fixtures.ts";

const DAY0 = "2026-11-01";
const NOW = new Date("2026-11-23T06:00:00Z");
type Def = ReturnType<typeof kpi>;
type Value = number | null | "error";

const observe = (def: Def, day: string, v: Value) =>
  v === "error"
    ? { day, status: "error" as const, value: null }
    : { day, status: classify(def, "28d", v).status, value: v };

/** One value per data day; reports what users see after each day and the transitions (from->to@day). */
function run(def: Def, values: readonly Value[]) {
  let stored: StoredStatus | null = null;
  const shown: Status[] = [];
  const transitions: string[] = [];
  values.forEach((v, i) => {
    const out = advanceStatus(def, "28d", stored, observe(def, addDays(DAY0, i), v), NOW);
    stored = out.stored;
    shown.push(shownStatus(out.stored.state));
    if (out.transition) transitions.push(`${out.transition.from}->${out.transition.to}@${i}`);
  });
  return { shown, transitions, stored: stored as StoredStatus | null };
}

const thresholds = [
  { status: "red" as const, below: 30 },
  { status: "amber" as const, below: 50 },
];

describe("the status machine, one step per data day", () => {
  const cases: [string, { pending: number; recovery_margin: number }, Value[], Status[], string[]][] = [
    ["the first day sets the state silently", { pending: 1, recovery_margin: 0 }, [40], ["amber"], []],
    [
      "pending 1 changes at once",
      { pending: 1, recovery_margin: 0 },
      [60, 40, 20],
      ["green", "amber", "red"],
      ["green->amber@1", "amber->red@2"],
    ],
    [
      "pending 3 waits for three days of data in a row",
      { pending: 3, recovery_margin: 0 },
      [60, 40, 40, 40, 40],
      ["green", "green", "green", "amber", "amber"],
      ["green->amber@3"],
    ],
    [
      "a day back at the confirmed status starts the count again",
      { pending: 2, recovery_margin: 0 },
      [60, 40, 60, 40, 40],
      ["green", "green", "green", "green", "amber"],
      ["green->amber@4"],
    ],
    [
      "alternating red and amber counts as one direction and confirms the better of the bad",
      { pending: 2, recovery_margin: 0 },
      [60, 20, 40, 20, 40],
      ["green", "green", "amber", "amber", "amber"],
      ["green->amber@2"],
    ],
    [
      "three alternating bad days with pending 3 confirm amber, then red needs its own days",
      { pending: 3, recovery_margin: 0 },
      [60, 20, 40, 20, 20, 20, 20],
      ["green", "green", "green", "amber", "amber", "amber", "red"],
      ["green->amber@3", "amber->red@6"],
    ],
    [
      "improving days confirm the least improved status",
      { pending: 2, recovery_margin: 0 },
      [20, 60, 40],
      ["red", "red", "amber"],
      ["red->amber@2"],
    ],
    [
      "oscillation around 50 with a margin does not flap",
      { pending: 1, recovery_margin: 2 },
      [45, 50.5, 49.5, 51, 49, 51.9, 48, 52, 55],
      ["amber", "amber", "amber", "amber", "amber", "amber", "amber", "green", "green"],
      ["amber->green@7"],
    ],
    [
      "recovery needs the margin on every day it counts",
      { pending: 2, recovery_margin: 2 },
      [45, 53, 51, 53, 54],
      ["amber", "amber", "amber", "amber", "green"],
      ["amber->green@4"],
    ],
    [
      "a recovery stops at the status whose margin the value has cleared",
      { pending: 1, recovery_margin: 2 },
      [20, 51, 53],
      ["red", "amber", "green"],
      ["red->amber@1", "amber->green@2"],
    ],
    [
      "degradation needs no margin",
      { pending: 1, recovery_margin: 5 },
      [52, 49.9],
      ["green", "amber"],
      ["green->amber@1"],
    ],
    [
      "a gap is an overlay: red -> gap -> green still waits for pending days",
      { pending: 2, recovery_margin: 0 },
      [20, null, 60, 60],
      ["red", "no_data", "red", "green"],
      ["red->green@3"],
    ],
    [
      "a gap does not reset the pending count",
      { pending: 2, recovery_margin: 0 },
      [60, 40, null, 40],
      ["green", "green", "no_data", "amber"],
      ["green->amber@3"],
    ],
    [
      "red -> gap -> green still needs the recovery margin",
      { pending: 1, recovery_margin: 2 },
      [20, null, 50.5],
      ["red", "no_data", "amber"],
      ["red->amber@2"],
    ],
    [
      "error -> red is a change from the status before the error",
      { pending: 1, recovery_margin: 0 },
      [60, "error", "error", 20],
      ["green", "error", "error", "red"],
      ["green->red@3"],
    ],
    [
      "red -> no data -> amber is an improvement from red",
      { pending: 1, recovery_margin: 0 },
      [20, null, 40],
      ["red", "no_data", "amber"],
      ["red->amber@2"],
    ],
    [
      "data arriving after days without any is a first status",
      { pending: 3, recovery_margin: 0 },
      [null, null, 40],
      ["no_data", "no_data", "amber"],
      ["null->amber@2"],
    ],
  ];
  it.each(cases)("%s", (_what, flap, values, shown, transitions) => {
    const out = run(kpi({ thresholds, flap }), values);
    expect(out.shown).toEqual(shown);
    expect(out.transitions).toEqual(transitions);
  });

  it("down KPIs recover by going under the boundary minus the margin", () => {
    const def = kpi({
      direction: "down",
      thresholds: [{ status: "red", above: 5 }],
      flap: { pending: 1, recovery_margin: 1 },
    });
    expect(run(def, [6, 4.5, 3.9]).transitions).toEqual(["red->green@2"]);
  });

  it("an overlay remembers the first day it was seen", () => {
    const out = run(kpi({ thresholds }), [20, null, null]);
    expect(out.stored?.state).toMatchObject({
      confirmed: "red",
      overlay: { status: "no_data", since: "2026-11-02" },
    });
  });
});

describe("re-evaluating the same data day", () => {
  const def = kpi({ thresholds, flap: { pending: 2, recovery_margin: 0 } });
  const step = (stored: StoredStatus | null, day: number, v: Value) =>
    advanceStatus(def, "28d", stored, observe(def, addDays(DAY0, day), v), NOW);

  it("any number of runs (restarts, replicas) on one day count that day once", () => {
    let out = step(null, 0, 60);
    for (let i = 0; i < 5; i++) out = step(out.stored, 1, 40);
    expect(out.transition).toBeNull();
    expect(out.stored.state).toMatchObject({ confirmed: "green", pending: { status: "amber", count: 1 } });
    out = step(out.stored, 2, 40);
    expect(out.transition).toMatchObject({ from: "green", to: "amber" });
  });

  it("a later run on the same day replaces that day's observation", () => {
    let out = step(step(null, 0, 60).stored, 1, 40);
    out = step(out.stored, 1, 60); // the day's data was corrected
    expect(out.stored.state.pending).toBeNull();
    out = step(out.stored, 2, 40);
    expect(out.transition).toBeNull();
    expect(out.stored.state.pending?.count).toBe(1);
  });

  it("a confirmed change is reported once however often its day is evaluated", () => {
    const first = step(step(step(null, 0, 60).stored, 1, 20).stored, 2, 20);
    expect(first.transition).toMatchObject({ from: "green", to: "red" });
    const again = step(first.stored, 2, 20);
    expect(again.transition).toBeNull();
    expect(again.stored).toEqual(first.stored);
  });

  it("a day older than the stored one changes nothing", () => {
    const stored = step(step(null, 0, 60).stored, 3, 20).stored;
    expect(step(stored, 1, 20)).toEqual({ stored, transition: null });
  });
});

describe("threshold edits", () => {
  const flap = { pending: 3, recovery_margin: 5 };
  const before = kpi({
    thresholds: [
      { status: "red", below: 50 },
      { status: "amber", below: 60 },
    ],
    flap,
  });
  const after = kpi({
    thresholds: [
      { status: "red", below: 40 },
      { status: "amber", below: 60 },
    ],
    flap,
  });

  it("re-read the status at once and say the rule moved, not the data", () => {
    const red = advanceStatus(before, "28d", null, observe(before, DAY0, 45), NOW).stored;
    const out = advanceStatus(after, "28d", red, observe(after, addDays(DAY0, 1), 45), NOW);
    expect(out.transition).toMatchObject({
      from: "red",
      to: "amber",
      cause: "threshold",
      rulesBefore: before.thresholds,
    });
    // The edit is reported once, though the day is evaluated again with the new rules.
    expect(
      advanceStatus(after, "28d", out.stored, observe(after, addDays(DAY0, 1), 45), NOW).transition,
    ).toBeNull();
  });

  it("an edit on the first day evaluated is still an edit", () => {
    const d0 = advanceStatus(before, "28d", null, observe(before, DAY0, 45), NOW).stored;
    const out = advanceStatus(after, "28d", d0, observe(after, DAY0, 45), NOW);
    expect(out.transition).toMatchObject({
      from: "red",
      to: "amber",
      cause: "threshold",
      rulesBefore: before.thresholds,
    });
  });

  it("an edit on the day already evaluated is still an edit", () => {
    const d0 = advanceStatus(before, "28d", null, observe(before, DAY0, 45), NOW).stored;
    const d1 = advanceStatus(before, "28d", d0, observe(before, addDays(DAY0, 1), 45), NOW).stored;
    const out = advanceStatus(after, "28d", d1, observe(after, addDays(DAY0, 1), 45), NOW);
    expect(out.transition).toMatchObject({ from: "red", to: "amber", cause: "threshold" });
  });
});
