import { altTextFor } from "../../charts/alt-text.ts";
import type { ChartRef, ChartRequest, SeriesPoint, StatusBand } from "../../charts/chart-request.ts";
import {
  addDays,
  applicableTarget,
  type Breakdown,
  classify,
  type Evaluation,
  eachDay,
  isCalendarWindow,
  type KpiDefinition,
  parseSegmentKey,
  rangeLength,
  rollingSeries,
} from "../../kpi/index.ts";
import { STAGE_LABELS } from "../../kpi/stage.ts";
import type { Status } from "../../kpi/status.ts";
import { formatDelta, formatValue } from "../../messages/format.ts";
import type { KpiRow } from "../../messages/message.ts";
import type { Snapshot } from "../snapshot.ts";
import { targetAmount } from "./kpi-row.ts";

/** A rolling window shorter than this is drawn over this many days, and the chart says so. */
const MIN_TREND_DAYS = 7;

export function chartUnit(def: KpiDefinition): string {
  if (def.unit === "percent") return "%";
  if (def.unit === "currency") return def.format.currency ?? "USD";
  if (def.unit === "days") return "days";
  return "";
}

const finite = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);

/**
 * For each day, the KPI's value over the window ending that day: the line is in the same units as the
 * window value, its thresholds and its target, and its last point is the number the answer shows.
 */
export function windowSeries(
  def: KpiDefinition,
  snapshot: Snapshot,
  start: string,
  end: string,
  length: number,
): SeriesPoint[] {
  return rollingSeries({ start, end }, length, (r) => snapshot.values.value(def.slug, r).value).map((p) => ({
    day: p.day,
    value: finite(p.value),
  }));
}

/** For each day from `start` to `end`, the value from `start` to that day: the to-date value day by day. */
export function toDateSeries(
  def: KpiDefinition,
  snapshot: Snapshot,
  start: string,
  end: string,
): SeriesPoint[] {
  return eachDay({ start, end }).map((day) => ({
    day,
    value: finite(snapshot.values.value(def.slug, { start, end: day }).value),
  }));
}

/**
 * Threshold rules (first match wins) as value bands: classify a point inside every interval between the
 * rules' boundaries, then merge neighbours with the same status.
 */
export function thresholdBands(def: KpiDefinition, window: string): StatusBand[] {
  const rules = def.thresholds.filter((r) => r.window === undefined || r.window === window);
  if (rules.length === 0) return [];
  const cuts = [...new Set(rules.map((r) => (r.below ?? r.above) as number))].sort((a, b) => a - b);
  const edges: (number | null)[] = [null, ...cuts, null];
  const bands: StatusBand[] = [];
  for (let i = 0; i < edges.length - 1; i++) {
    const from = edges[i] ?? null;
    const to = edges[i + 1] ?? null;
    const probe = from === null ? (to as number) - 1 : to === null ? from + 1 : (from + to) / 2;
    const status = classify(def, window, probe).status;
    if (status !== "green" && status !== "amber" && status !== "red") continue;
    const last = bands[bands.length - 1];
    if (last && last.status === status && last.to === from) last.to = to;
    else bands.push({ from, to, status });
  }
  return bands;
}

/** What the line shows, day by day, and over which days: the same numbers the answer reports. */
interface TrendLine {
  points: SeriesPoint[];
  previous: SeriesPoint[];
  caption: string;
}

function trendLine(def: KpiDefinition, e: Evaluation, snapshot: Snapshot): TrendLine {
  const { current, previous } = e.ranges;
  if (isCalendarWindow(e.window)) {
    const days = rangeLength(current);
    return {
      points: toDateSeries(def, snapshot, current.start, current.end),
      previous: toDateSeries(def, snapshot, previous.start, addDays(previous.start, days - 1)),
      caption: `${e.window} to date, day by day since ${shortDay(current.start)}`,
    };
  }
  const length = rangeLength(current);
  const span = Math.max(MIN_TREND_DAYS, length);
  const start = addDays(e.asOf, 1 - span);
  const points = windowSeries(def, snapshot, start, e.asOf, length);
  const before = windowSeries(def, snapshot, addDays(start, -span), addDays(start, -1), length);
  const what = length === 1 ? "daily value" : `rolling ${length}-day value`;
  const why =
    span > length ? ` (${span} days shown: one ${length}-day window is too short to show a trend)` : "";
  return { points, previous: before, caption: `${what}, last ${span} days${why}` };
}

const shortDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en", { month: "short", day: "numeric", timeZone: "UTC" });

/**
 * The target drawn on a trend: a calendar window shows its own period's target (a month-to-date line with
 * the month's target); a rolling window shows the level a rate or average KPI should be at. A total over a
 * rolling window has no period target to compare with, so none is drawn.
 */
function trendTarget(def: KpiDefinition, e: Evaluation): { value: number; label: string } | null {
  if (isCalendarWindow(e.window)) {
    const t = applicableTarget(def.targets, e.window, e.asOf);
    const kind = e.pacing?.kind ?? (["count", "sum"].includes(def.aggregation.kind) ? "cumulative" : "level");
    return t ? { value: t.value, label: `${e.window} target ${targetAmount(def, kind, t.value)}` } : null;
  }
  if (e.pacing?.kind !== "level") return null;
  return {
    value: e.pacing.target,
    label: `${e.pacing.period} target ${targetAmount(def, "level", e.pacing.target)}`,
  };
}

/** "owner:Dana Ruiz" as the chart title writes it; "" for the whole. */
function segmentTitle(segment: string): string {
  const key = parseSegmentKey(segment);
  return key ? ` · ${key.dimension} ${key.value}` : "";
}

export function trendChart(
  def: KpiDefinition,
  e: Evaluation,
  snapshot: Snapshot,
  status: Status,
  latestLabel: string,
  rated = true,
): ChartRef {
  const line = trendLine(def, e, snapshot);
  const target = trendTarget(def, e);
  const request: ChartRequest = {
    template: "trend",
    title: `${def.name}${segmentTitle(snapshot.segment)} · ${e.label}`,
    caption: line.caption,
    unit: chartUnit(def),
    points: line.points,
    previous: line.previous,
    bands: thresholdBands(def, e.window),
    target: target?.value ?? null,
    targetLabel: target?.label,
    status,
    rated,
    latestLabel,
  };
  return { request, altText: altTextFor(request) };
}

export function boardChart(title: string, rows: readonly KpiRow[]): ChartRef {
  const request: ChartRequest = {
    template: "board",
    title,
    cells: rows.map((r) => ({
      stage: r.stage,
      label: STAGE_LABELS[r.stage],
      kpi: r.name,
      value: r.formatted,
      delta: r.delta?.replace(/ vs .*$/, "") ?? "",
      status: r.status,
      rated: r.rated,
    })),
  };
  return { request, altText: altTextFor(request) };
}

export function breakdownChart(def: KpiDefinition, window: string, b: Breakdown, label: string): ChartRef {
  const request: ChartRequest = {
    template: "breakdown",
    title: `${def.name} by ${b.dimension} · ${label}`,
    unit: chartUnit(def),
    bars: b.rows.map((r) => ({
      label: r.label,
      value: finite(r.value),
      formatted: formatValue(def, r.value),
      status: r.status,
      delta: formatDelta(def, r.delta, `previous ${window}`)?.replace(/ vs .*$/, "") ?? null,
    })),
  };
  return { request, altText: altTextFor(request) };
}

export function npsChart(def: KpiDefinition, e: Evaluation): ChartRef | null {
  const agg = def.aggregation;
  if (agg.kind !== "distribution" || !e.current.dist) return null;
  const dist = e.current.dist;
  const buckets = [];
  for (let score = agg.scale.min; score <= agg.scale.max; score++) {
    buckets.push({ score, count: Math.max(0, dist[String(score)] ?? 0) });
  }
  const request: ChartRequest = {
    template: "nps",
    title: `${def.name} · ${e.label}`,
    buckets,
    nps: finite(e.value),
  };
  return { request, altText: altTextFor(request) };
}
