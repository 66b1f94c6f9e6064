import { describe, expect, it } from "vitest";
import { advanceStatus, type StatusState } from "../../src/kpi/flap-control.ts";
import type { Status } from "../../src/kpi/status.ts";
import { classify } from "../../src/kpi/thresholds.ts";
import { kpi } from "./fixtures.ts";

const T0 = new Date("2026-11-23T06:00:00Z");
const at = (i: number) => new Date(T0.getTime() + i * 3_600_000);

/** Feed values through classify + advanceStatus; report the status after each step and the transitions. */
function run(def: ReturnType<typeof kpi>, values: readonly (number | null | "error")[]) {
  let state: StatusState | null = null;
  const statuses: Status[] = [];
  const transitions: string[] = [];
  values.forEach((v, i) => {
    const observed =
      v === "error"
        ? { status: "error" as const, value: null }
        : { status: classify(def, "28d", v).status, value: v };
    const out = advanceStatus(def, "28d", state, observed, at(i));
    state = out.state;
    statuses.push(state.status);
    if (out.transition) transitions.push(`${out.transition.from}->${out.transition.to}@${i}`);
  });
  return { statuses, transitions, state: state as StatusState | null };
}

const thresholds = [
  { status: "red" as const, below: 30 },
  { status: "amber" as const, below: 50 },
];

describe("advanceStatus", () => {
  const cases: [
    string,
    { pending: number; recovery_margin: number },
    (number | null | "error")[],
    Status[],
    string[],
  ][] = [
    ["first evaluation sets the state silently", { pending: 1, recovery_margin: 0 }, [40], ["amber"], []],
    [
      "pending 1 changes at once",
      { pending: 1, recovery_margin: 0 },
      [60, 40, 20],
      ["green", "amber", "red"],
      ["green->amber@1", "amber->red@2"],
    ],
    [
      "pending 3 waits for three evaluations in a row",
      { pending: 3, recovery_margin: 0 },
      [60, 40, 40, 40, 40],
      ["green", "green", "green", "amber", "amber"],
      ["green->amber@3"],
    ],
    [
      "a break in the run starts the count again",
      { pending: 2, recovery_margin: 0 },
      [60, 40, 60, 40, 40],
      ["green", "green", "green", "green", "amber"],
      ["green->amber@4"],
    ],
    [
      "oscillation around 50 with a margin does not flap",
      { pending: 1, recovery_margin: 2 },
      [45, 50.5, 49.5, 51, 49, 51.9, 48, 52, 55],
      ["amber", "amber", "amber", "amber", "amber", "amber", "amber", "green", "green"],
      ["amber->green@7"],
    ],
    [
      "recovery needs margin on every evaluation it counts",
      { pending: 2, recovery_margin: 2 },
      [45, 53, 51, 53, 54],
      ["amber", "amber", "amber", "amber", "green"],
      ["amber->green@4"],
    ],
    [
      "leaving red towards amber clears the red boundary (below 30) by the margin",
      { pending: 1, recovery_margin: 5 },
      [20, 33, 36],
      ["red", "red", "amber"],
      ["red->amber@2"],
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
      "no_data and error apply at once, and leaving them too",
      { pending: 3, recovery_margin: 5 },
      [60, null, "error", 40, 40],
      ["green", "no_data", "error", "amber", "amber"],
      ["green->no_data@1", "no_data->error@2", "error->amber@3"],
    ],
  ];
  it.each(cases)("%s", (_what, flap, values, statuses, transitions) => {
    const out = run(kpi({ thresholds, flap }), values);
    expect(out.statuses).toEqual(statuses);
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

  it("keeps since when nothing changes, remembers the value and the pending change", () => {
    const def = kpi({ thresholds, flap: { pending: 2, recovery_margin: 0 } });
    const first = advanceStatus(def, "28d", null, { status: "green", value: 60 }, at(0)).state;
    const second = advanceStatus(def, "28d", first, { status: "amber", value: 45 }, at(1));
    expect(second.transition).toBeNull();
    expect(second.state).toEqual({
      status: "green",
      since: at(0).toISOString(),
      pending: { status: "amber", count: 1 },
      value: 45,
    });
    const third = advanceStatus(def, "28d", second.state, { status: "amber", value: 44 }, at(2));
    expect(third.transition).toEqual({ from: "green", to: "amber", value: 44, at: at(2).toISOString() });
    expect(third.state.since).toBe(at(2).toISOString());
  });
});
