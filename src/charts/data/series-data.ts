import { STATUS_LABEL, statusMark } from "../../kpi/status.ts";
import { formatWithUnit } from "../../messages/format.ts";
import type { ChartData, Row } from "../chart-data.ts";
import type { ChartRequest, SeriesPoint } from "../chart-request.ts";
import { shownStatus } from "./shown-status.ts";

type Trend = Extract<ChartRequest, { template: "trend" }>;

function lastValue(points: SeriesPoint[]): { day: string; value: number } | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (p && p.value !== null) return { day: p.day, value: p.value };
  }
  return undefined;
}

/** Value range shown on the y axis: the data (and target), with room above and below (shares of the span). */
export function valueDomain(values: number[], room = { below: 0.12, above: 0.12 }): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || Math.abs(hi) * 0.2 || 1;
  return [lo - span * room.below, hi + span * room.above];
}

/** The trend's plot area in pixels at scale 1; the end labels sit in the margin to its right. */
export const TREND_SIZE = { width: 520, height: 220 } as const;
/** Two end labels closer than this (in pixels) would overlap, so they are pushed apart. */
const END_LABEL_GAP = 16;

/**
 * Heights (in data units) for the last-value label and the target label in the right margin: each at its
 * own value, pushed apart evenly when they would overlap.
 */
export function endLabelHeights(
  last: number,
  target: number | null,
  [yMin, yMax]: [number, number],
): { last: number; target: number | null } {
  if (target === null) return { last, target };
  const unitsPerPx = (yMax - yMin) / TREND_SIZE.height;
  const gap = END_LABEL_GAP * unitsPerPx;
  const apart = Math.abs(last - target);
  if (apart >= gap) return { last, target };
  const push = (gap - apart) / 2;
  return last >= target
    ? { last: last + push, target: target - push }
    : { last: last - push, target: target + push };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function trendData(r: Trend): ChartData | undefined {
  const last = lastValue(r.points);
  if (!last) return undefined;
  const points: Row[] = r.points.map((p) => ({ day: p.day, value: p.value }));
  // the previous window is drawn at the current window's x positions so the two line up day for day
  const previous: Row[] = (r.previous ?? []).slice(0, r.points.length).map((p, i) => ({
    day: r.points[i]?.day ?? p.day,
    value: p.value,
  }));
  const target = r.target ?? null;
  const values = [...points, ...previous]
    .map((p) => p.value)
    .filter((v): v is number => typeof v === "number");
  if (target !== null) values.push(target);
  const [yMin, yMax] = valueDomain(values);
  const bands: Row[] = (r.bands ?? [])
    .map((b) => ({
      from: clamp(b.from ?? yMin, yMin, yMax),
      to: clamp(b.to ?? yMax, yMin, yMax),
      status: b.status,
      label: STATUS_LABEL[b.status],
    }))
    .filter((b) => b.to - b.from > (yMax - yMin) * 0.01)
    // a band too thin to hold its name keeps its colour but not its label
    .map((b) => (b.to - b.from < (yMax - yMin) * 0.08 ? { ...b, label: "" } : b));
  const mark = statusMark(r.status, r.rated ?? true);
  const statusText = `${mark.symbol} ${mark.label}`;
  const valueText = r.latestLabel ?? formatWithUnit(last.value, r.unit);
  const labelAt = endLabelHeights(last.value, target, [yMin, yMax]);
  const targetText = r.targetLabel ?? (target === null ? "" : `target ${formatWithUnit(target, r.unit)}`);
  return {
    template: "trend",
    datasets: {
      points,
      previous,
      bands,
      target: target === null ? [] : [{ value: target, labelAt: labelAt.target, label: targetText }],
      last: [
        {
          day: last.day,
          value: last.value,
          labelAt: labelAt.last,
          status: shownStatus(r.status, r.rated),
          label: `${valueText}  ${statusText}`,
        },
      ],
    },
    signals: {
      chartTitle: r.title,
      chartSubtitle: subtitle(r, statusText),
      unitLabel: r.unit,
      yMin,
      yMax,
    },
    size: TREND_SIZE,
  };
}

function subtitle(r: Trend, statusText: string): string {
  const days = r.points.length;
  const parts = [statusText, r.caption ?? `${days} ${days === 1 ? "day" : "days"}`];
  if (r.previous?.some((p) => p.value !== null)) parts.push("dashed: previous period");
  return parts.join(" · ");
}
