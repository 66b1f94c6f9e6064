import { STAGES } from "../../kpi/stage.ts";
import { STATUS_LABEL, STATUS_SYMBOL } from "../../kpi/status.ts";
import { formatShare as formatPercent } from "../../messages/format.ts";
import type { ChartData, Row } from "../chart-data.ts";
import type { ChartRequest } from "../chart-request.ts";

type Board = Extract<ChartRequest, { template: "board" }>;
type Funnel = Extract<ChartRequest, { template: "funnel" }>;

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
      status: c.status,
      statusText: `${STATUS_SYMBOL[c.status]} ${STATUS_LABEL[c.status]}`,
    }));
  const counts = r.cells.reduce<Record<string, number>>((acc, c) => {
    acc[c.status] = (acc[c.status] ?? 0) + 1;
    return acc;
  }, {});
  const summary = (["green", "amber", "red"] as const)
    .filter((s) => counts[s])
    .map((s) => `${counts[s]} ${STATUS_SYMBOL[s]} ${STATUS_LABEL[s]}`)
    .join(" · ");
  return { template: "board", datasets: { cells }, signals: { chartTitle: r.title, chartSubtitle: summary } };
}

export function funnelData(r: Funnel): ChartData | undefined {
  if (r.steps.length === 0) return undefined;
  const steps: Row[] = r.steps.map((s, order) => ({
    order,
    label: s.label,
    value: Math.max(0, s.value),
    formatted: s.formatted,
    conversionText:
      order === 0 || s.conversion === null ? "" : `↓ ${formatPercent(s.conversion)} of previous`,
  }));
  const max = Math.max(...steps.map((s) => s.value as number));
  const first = r.steps[0]?.value ?? 0;
  const last = r.steps[r.steps.length - 1]?.value ?? 0;
  const overall = first > 0 && r.steps.length > 1 ? `${formatPercent(last / first)} end to end` : "";
  return {
    template: "funnel",
    datasets: { steps },
    // room on the right for the value label and the conversion column
    signals: { chartTitle: r.title, chartSubtitle: overall, xMax: (max || 1) * 1.6 },
  };
}
