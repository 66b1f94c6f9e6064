import { STATUS_LABEL, STATUS_SYMBOL } from "../../kpi/status.ts";
import { formatPlain as formatNumber, formatShare as formatPercent } from "../../messages/format.ts";
import type { ChartData, Row } from "../chart-data.ts";
import type { ChartRequest } from "../chart-request.ts";

type Nps = Extract<ChartRequest, { template: "nps" }>;
type Breakdown = Extract<ChartRequest, { template: "breakdown" }>;

const GROUPS = [
  { name: "Detractors", from: 0, to: 6 },
  { name: "Passives", from: 7, to: 8 },
  { name: "Promoters", from: 9, to: 10 },
] as const;

const groupOf = (score: number) => GROUPS.find((g) => score >= g.from && score <= g.to)?.name ?? "Detractors";

export function npsData(r: Nps): ChartData | undefined {
  const counts = new Array<number>(11).fill(0);
  for (const b of r.buckets) {
    const score = Math.round(b.score);
    if (score >= 0 && score <= 10 && b.count > 0) counts[score] = (counts[score] ?? 0) + b.count;
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const buckets: Row[] = counts.map((count, score) => ({
    score,
    count,
    countText: count > 0 ? formatNumber(count) : "",
    group: groupOf(score),
  }));
  const shares = GROUPS.map((g) => {
    const n = counts.slice(g.from, g.to + 1).reduce((a, b) => a + b, 0);
    return `${g.name} ${formatPercent(n / total)}`;
  });
  const npsText =
    r.nps === null ? "NPS n/a" : `NPS ${r.nps > 0 ? "+" : ""}${formatNumber(Math.round(r.nps))}`;
  return {
    template: "nps",
    datasets: { buckets },
    signals: {
      chartTitle: r.title,
      chartSubtitle: `${npsText} · ${shares.join(" · ")} · ${formatNumber(total)} responses`,
    },
  };
}

export function breakdownData(r: Breakdown): ChartData | undefined {
  if (r.bars.length === 0 || r.bars.every((b) => b.value === null)) return undefined;
  const values = r.bars.map((b) => b.value ?? 0);
  const xMin = Math.min(0, ...values);
  const xMax = Math.max(0, ...values);
  const span = xMax - xMin || 1;
  const bars: Row[] = r.bars.map((b, order) => {
    const statusText = `${STATUS_SYMBOL[b.status]} ${STATUS_LABEL[b.status]}`;
    const parts =
      b.value === null ? [`${STATUS_SYMBOL.no_data} no data`] : [b.formatted, b.delta ?? "", statusText];
    return {
      order,
      label: b.label,
      value: b.value ?? 0,
      labelAt: Math.max(0, b.value ?? 0),
      status: b.status,
      text: parts.filter(Boolean).join("  "),
    };
  });
  return {
    template: "breakdown",
    datasets: { bars },
    // the right 45% is left free for the text beside each bar
    signals: { chartTitle: r.title, chartSubtitle: r.unit, xMin, xMax: xMax + span * 0.8 },
  };
}
