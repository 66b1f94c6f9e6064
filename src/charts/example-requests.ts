import type { ChartRequest, ChartTemplate, SeriesPoint } from "./chart-request.ts";

/** A deterministic daily series (no randomness) so examples, benches and tests draw the same picture. */
export function exampleSeries(
  days: number,
  start: string,
  base: number,
  wave: number,
  drift: number,
): SeriesPoint[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => ({
    day: new Date(t0 + i * 86_400_000).toISOString().slice(0, 10),
    value:
      Math.round((base + drift * i + wave * Math.sin(i / 2.2) + (wave / 2) * Math.cos(i / 0.9)) * 10) / 10,
  }));
}

const current = exampleSeries(28, "2026-10-26", 44.5, 1.6, -0.1);
const previous = exampleSeries(28, "2026-09-28", 40, 1.4, 0.05);

/** One realistic request per template: the pictures in docs/charts.md, the bench and the smoke tests use these. */
export const EXAMPLE_REQUESTS: { [T in ChartTemplate]: Extract<ChartRequest, { template: T }> } = {
  trend: {
    template: "trend",
    title: "Trial → activation rate · last 28 days",
    caption: "rolling 28-day value, last 28 days",
    unit: "%",
    points: current,
    previous,
    bands: [
      { from: null, to: 38, status: "red" },
      { from: 38, to: 42, status: "amber" },
      { from: 42, to: null, status: "green" },
    ],
    target: 45,
    targetLabel: "quarter target 45%",
    status: "amber",
    latestLabel: `${current.at(-1)?.value}%`,
  },
  board: {
    template: "board",
    title: "Customer-Led Growth, week 47",
    cells: [
      {
        stage: "problem",
        label: "Problem",
        kpi: "Qualified visitors",
        value: "18.4k",
        delta: "▲ 6.1% vs prev.",
        status: "green",
      },
      {
        stage: "interest",
        label: "Interest",
        kpi: "Trial sign-ups",
        value: "1,240",
        delta: "▲ 2.3% vs prev.",
        status: "green",
      },
      {
        stage: "activation",
        label: "Activation",
        kpi: "Trial → activation",
        value: "41.8%",
        delta: "▼ 2.9 pts",
        status: "amber",
      },
      {
        stage: "value_realization",
        label: "Value realization",
        kpi: "Time to first value",
        value: "3.2 d",
        delta: "▲ 0.4 d",
        status: "amber",
      },
      {
        stage: "continued_value",
        label: "Continued value",
        kpi: "Weekly active teams",
        value: "62%",
        delta: "▼ 5.0 pts",
        status: "red",
      },
      {
        stage: "value_growth",
        label: "Value growth",
        kpi: "Net revenue retention",
        value: "112%",
        delta: "▲ 1.0 pts",
        status: "green",
      },
    ],
  },
  nps: {
    template: "nps",
    title: "NPS, last 90 days",
    buckets: [4, 2, 3, 5, 6, 9, 14, 31, 38, 52, 61].map((count, score) => ({ score, count })),
    nps: 32,
  },
  breakdown: {
    template: "breakdown",
    title: "Trial → activation by owner",
    unit: "activation rate, last 28 days",
    bars: [
      { label: "Ana Souza", value: 48.2, formatted: "48.2%", status: "green", delta: "▲ 3.1 pts" },
      { label: "Minh Nguyễn", value: 44.9, formatted: "44.9%", status: "green", delta: "▲ 0.6 pts" },
      { label: "Somchai K.", value: 40.3, formatted: "40.3%", status: "amber", delta: "▼ 1.8 pts" },
      { label: "Sara Rahimi", value: 36.1, formatted: "36.1%", status: "red", delta: "▼ 4.4 pts" },
      { label: "Unassigned", value: null, formatted: "", status: "no_data", delta: null },
    ],
  },
};
