import type { ChartRef, ChartRequest, SeriesPoint } from "../charts/chart-request.ts";
import type { Status } from "../kpi/status.ts";
import type { CardBudget } from "./card-limits.ts";
import type { CardElement } from "./card-types.ts";
import { plainText } from "./teams-markdown.ts";

/** Teams chart colours by status: the same words as the text colours of the card. */
export function chartColor(status: Status, rated = true): string {
  if (!rated) return "neutral";
  switch (status) {
    case "red":
      return "attention";
    case "amber":
      return "warning";
    case "green":
      return "good";
    default:
      return "neutral";
  }
}

/** Every n-th point so at most `max` remain, the last one (today's value) always among them. */
export function thinPoints<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

/** "2026-11-22" -> "11-22": days of one window share their year; the axis stays readable. */
function dayLabel(day: string): string {
  return day.slice(5, 10);
}

function lineValues(points: readonly SeriesPoint[], max: number): { x: string; y: number }[] {
  return thinPoints(points, max).flatMap((p) =>
    p.value === null ? [] : [{ x: dayLabel(p.day), y: p.value }],
  );
}

const TITLE_CHARS = 120;

/**
 * The chart as a Teams native chart element, or null for charts that stay an image (the six-stage board)
 * or have nothing to draw. `fallback` is what clients without native charts (Teams mobile) show.
 */
export function nativeChart(
  chart: ChartRef,
  budget: CardBudget,
  fallback: CardElement,
): { element: CardElement; omitted: number } | null {
  const request: ChartRequest = chart.request;
  const title = plainText(request.title, TITLE_CHARS);
  switch (request.template) {
    case "trend": {
      const current = lineValues(request.points, budget.linePoints);
      if (current.length === 0) return null;
      const data = [
        {
          legend: plainText(request.caption ?? "this period", TITLE_CHARS),
          color: chartColor(request.status, request.rated ?? true),
          values: current,
        },
      ];
      const previous = lineValues(request.previous ?? [], budget.linePoints);
      if (previous.length > 0) {
        // Aligned to the same x positions as the current period, as the PNG draws it.
        const xs = current.map((v) => v.x);
        const aligned = previous.slice(-xs.length).map((v, i) => ({ x: xs[i] ?? v.x, y: v.y }));
        data.push({ legend: "previous period", color: "neutral", values: aligned });
      }
      if (typeof request.target === "number") {
        const target = request.target;
        data.push({
          legend: plainText(request.targetLabel ?? `target ${target}`, TITLE_CHARS),
          color: "categoricalBlue",
          values: current.map((v) => ({ x: v.x, y: target })),
        });
      }
      return {
        element: {
          type: "Chart.Line",
          title,
          xAxisTitle: "day",
          yAxisTitle: plainText(request.unit || "value", 60),
          data,
          fallback,
        },
        omitted: 0,
      };
    }
    case "breakdown": {
      const bars = request.bars.filter((b) => b.value !== null);
      if (bars.length === 0) return null;
      const shown = bars.slice(0, budget.bars);
      return {
        element: {
          type: "Chart.HorizontalBar",
          title,
          xAxisTitle: plainText(request.unit || "value", 60),
          yAxisTitle: "segment",
          data: shown.map((b) => ({
            x: plainText(b.label, 60),
            y: b.value as number,
            color: chartColor(b.status),
          })),
          fallback,
        },
        omitted: bars.length - shown.length,
      };
    }
    case "nps": {
      const buckets = request.buckets.filter((b) => b.count > 0);
      if (buckets.length === 0) return null;
      return {
        element: {
          type: "Chart.VerticalBar",
          title,
          xAxisTitle: "score",
          yAxisTitle: "responses",
          showBarValues: true,
          data: request.buckets.slice(0, budget.bars).map((b) => ({
            x: String(b.score),
            y: b.count,
            color: b.score >= 9 ? "good" : b.score >= 7 ? "neutral" : "attention",
          })),
          fallback,
        },
        omitted: Math.max(0, request.buckets.length - budget.bars),
      };
    }
    case "board":
      return null;
  }
}
