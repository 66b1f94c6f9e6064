import { NO_STATUS, STATUS_LABEL, type Status, statusMark } from "../kpi/status.ts";

/** "status red", or "no status" for a KPI without thresholds for the window. */
function statusPhrase(status: Status, rated: boolean | undefined): string {
  const mark = statusMark(status, rated ?? true);
  return mark === NO_STATUS ? NO_STATUS.label : `status ${mark.label}`;
}

import {
  formatPlain as formatNumber,
  formatShare as formatPercent,
  formatWithUnit,
} from "../messages/format.ts";
import type { ChartRequest, SeriesPoint } from "./chart-request.ts";

/** Slack caps image alt_text at 2,000 characters; Teams has no stated cap but screen readers want it short. */
const MAX_ALT = 600;

const latest = (points: SeriesPoint[]) => [...points].reverse().find((p) => p.value !== null);

function sentence(text: string): string {
  const s = text.length > MAX_ALT ? `${text.slice(0, MAX_ALT - 1)}…` : text;
  return /[.…]$/.test(s) ? s : `${s}.`;
}

/** One sentence for screen readers and chat previews: what the chart shows, the latest value and its status. */
export function altTextFor(request: ChartRequest): string {
  switch (request.template) {
    case "trend": {
      const last = latest(request.points);
      if (!last || last.value === null) return sentence(`${request.title}: no data for this window`);
      const value = request.latestLabel ?? formatWithUnit(last.value, request.unit);
      const first = request.points.find((p) => p.value !== null)?.value ?? last.value;
      const direction = last.value > first ? "up" : last.value < first ? "down" : "flat";
      const target =
        request.target == null
          ? ""
          : `, ${request.targetLabel ?? `target ${formatWithUnit(request.target, request.unit)}`}`;
      const shows = request.caption ?? `over ${request.points.length} days`;
      return sentence(
        `${request.title}: line chart, ${shows}, latest ${value} on ${last.day}, ` +
          `${statusPhrase(request.status, request.rated)}${target}, ${direction} from ${formatWithUnit(first, request.unit)} at the start`,
      );
    }
    case "board": {
      if (request.cells.length === 0) return sentence(`${request.title}: no data for this window`);
      const cells = request.cells.map(
        (c) => `${c.label} ${c.kpi} ${c.value} (${statusMark(c.status, c.rated ?? true).label})`,
      );
      return sentence(`${request.title}: stage board, ${cells.join("; ")}`);
    }
    case "nps": {
      const total = request.buckets.reduce((a, b) => a + Math.max(b.count, 0), 0);
      if (total === 0) return sentence(`${request.title}: no data for this window`);
      const nps =
        request.nps === null
          ? "n/a"
          : `${request.nps > 0 ? "+" : ""}${formatNumber(Math.round(request.nps))}`;
      const share = (lo: number, hi: number) =>
        formatPercent(
          request.buckets.filter((b) => b.score >= lo && b.score <= hi).reduce((a, b) => a + b.count, 0) /
            total,
        );
      return sentence(
        `${request.title}: NPS ${nps} from ${formatNumber(total)} responses, ` +
          `promoters ${share(9, 10)}, passives ${share(7, 8)}, detractors ${share(0, 6)}`,
      );
    }
    case "breakdown": {
      if (request.bars.every((b) => b.value === null))
        return sentence(`${request.title}: no data for this window`);
      const bars = request.bars.map((b) =>
        b.value === null ? `${b.label} no data` : `${b.label} ${b.formatted} (${STATUS_LABEL[b.status]})`,
      );
      const unit = request.unit ? ` (${request.unit})` : "";
      return sentence(`${request.title}${unit}: ${bars.join("; ")}`);
    }
  }
}
