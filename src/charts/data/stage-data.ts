import { STAGES } from "../../kpi/stage.ts";
import { STATUS_LABEL, STATUS_SYMBOL, statusMark } from "../../kpi/status.ts";
import type { ChartData, Row } from "../chart-data.ts";
import type { ChartRequest } from "../chart-request.ts";
import { shownStatus } from "./shown-status.ts";

type Board = Extract<ChartRequest, { template: "board" }>;

const stageOrder = (s: string) => STAGES.indexOf(s as (typeof STAGES)[number]);

export function boardData(r: Board): ChartData | undefined {
  if (r.cells.length === 0) return undefined;
  const cells: Row[] = [...r.cells]
    .sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage))
    .map((c, col) => ({
      col,
      stage: c.label.toUpperCase(),
      kpi: c.kpi,
      value: c.value,
      delta: c.delta,
      status: shownStatus(c.status, c.rated),
      statusText: (({ symbol, label }) => `${symbol} ${label}`)(statusMark(c.status, c.rated ?? true)),
    }));
  const counts = r.cells.reduce<Record<string, number>>((acc, c) => {
    const s = shownStatus(c.status, c.rated);
    acc[s] = (acc[s] ?? 0) + 1;
    return acc;
  }, {});
  const summary = (["green", "amber", "red"] as const)
    .filter((s) => counts[s])
    .map((s) => `${counts[s]} ${STATUS_SYMBOL[s]} ${STATUS_LABEL[s]}`)
    .join(" · ");
  return { template: "board", datasets: { cells }, signals: { chartTitle: r.title, chartSubtitle: summary } };
}
