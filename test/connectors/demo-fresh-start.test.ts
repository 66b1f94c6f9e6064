import { describe, expect, it } from "vitest";
import { evaluateCatalog } from "../../src/kpi/evaluate-catalog.ts";
import { indexSamples } from "../../src/kpi/index-samples.ts";
import { ANCHOR, catalog, history } from "./demo-fixture.ts";

/** What a first start with the default catalog shows, through the real evaluation engine. */
describe("default catalog on demo data, evaluated on the anchor day", () => {
  const evaluations = history.then((samples) =>
    evaluateCatalog({
      defs: catalog.kpis,
      indexes: indexSamples(samples),
      asOf: ANCHOR,
      timezone: catalog.timezone,
      now: new Date(`${ANCHOR}T12:00:00Z`),
    }),
  );
  const find = async (kpi: string, window: string) => {
    const found = (await evaluations).find((e) => e.kpi === kpi && e.window === window);
    if (!found) throw new Error(`no evaluation of ${kpi} ${window}`);
    return found;
  };

  it("gives every KPI a value in every window", async () => {
    for (const e of await evaluations) expect(Number.isFinite(e.value), `${e.kpi} ${e.window}`).toBe(true);
  });

  it("shows red, amber and green", async () => {
    const statuses = new Set((await evaluations).map((e) => e.status));
    expect([...statuses].sort()).toEqual(["amber", "green", "red"]);
  });

  it.each([
    ["activation", "28d", "red"],
    ["churn", "28d", "red"],
    ["fcr", "28d", "amber"],
    ["nps", "90d", "green"],
    ["mrr", "28d", "green"],
  ])("colours %s over %s %s", async (kpi, window, status) => {
    expect((await find(kpi, window)).status).toBe(status);
  });

  it("finds the latest day's drop in visitors, and no anomaly in the KPIs it does not touch", async () => {
    expect((await find("new_visitors", "7d")).anomaly).toMatchObject({
      day: ANCHOR,
      direction: "below",
      good: false,
    });
    const flagged = new Set((await evaluations).filter((e) => e.anomaly).map((e) => e.kpi));
    expect([...flagged].sort()).toEqual(["new_visitors", "trials"]);
  });
});
