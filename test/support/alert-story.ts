import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import type { Runtime } from "../../src/app/runtime.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { addDays } from "../../src/kpi/days.ts";

/** One KPI the test writes day by day: `activation`, red below 50, confirmed after two days. */
export const ONE_KPI_ALERT_CATALOG = `
version: 1
timezone: UTC
sources:
  - name: demo
    kind: demo
kpis:
  - slug: activation
    name: Activation
    stage: activation
    unit: count
    direction: up
    aggregation: { kind: count }
    source: demo
    windows: [1d]
    thresholds:
      - { status: red, below: 50 }
    flap: { pending: 2, recovery_margin: 0 }
    anomaly: { enabled: false }
    forecast: { enabled: false }
`;

const FIRST_DAY = "2026-10-01";

/**
 * A workspace's alert story told through the real alerting core: each `nextDay` writes the next day's
 * activation and evaluates the morning after; `drain` sends everything due, moving the clock past each
 * channel's pace between rounds.
 */
export function alertStory(rt: Runtime & { clock: { set(to: Date | string): void } }, workspace: string) {
  let day = 0;
  return {
    start: `${FIRST_DAY}T06:00:00Z`,
    async applyCatalog() {
      await applyCatalog(rt.db, {
        workspace,
        catalog: parseCatalogText(ONE_KPI_ALERT_CATALOG, "catalog.yaml"),
        actor: "test",
      });
    },
    async nextDay(activation: number) {
      day++;
      await upsertSamples(rt.db, workspace, [
        {
          kpi: "activation",
          day: addDays(FIRST_DAY, day),
          segment: "",
          value: activation,
          num: null,
          den: null,
          dist: null,
        },
      ]);
      rt.clock.set(`${addDays(FIRST_DAY, day + 1)}T06:00:00Z`);
      await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, workspace));
    },
    async drain(stepMs: number) {
      for (let i = 0; i < 30; i++) {
        await deliverDue(rt);
        if ((await listDeliveries(rt.db, workspace, { state: "pending" })).length === 0) return;
        rt.clock.set(new Date(rt.clock.now().getTime() + stepMs));
      }
    },
  };
}
