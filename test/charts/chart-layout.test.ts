import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { ChartRequest, ChartTemplate, SeriesPoint } from "../../src/charts/chart-request.ts";
import { EXAMPLE_REQUESTS, exampleSeries } from "../../src/charts/example-requests.ts";
import { renderChartPng } from "../../src/charts/render-png.ts";
import { type Box, intersects, sceneOf } from "./scene.ts";

const trend = EXAMPLE_REQUESTS.trend;
const series = (values: number[]): SeriesPoint[] =>
  values.map((value, i) => ({ day: `2026-11-${String(i + 1).padStart(2, "0")}`, value }));

/**
 * For each template: a chart with narrow labels, then one with much wider ones. The two are drawn in this
 * order on the same reused view, which is how the service draws them.
 */
const NARROW_THEN_WIDE: Record<ChartTemplate, [ChartRequest, ChartRequest]> = {
  trend: [
    {
      ...trend,
      unit: "",
      points: exampleSeries(28, "2026-10-26", 4, 1, 0),
      previous: [],
      bands: [],
      target: null,
    },
    {
      ...trend,
      title: "Annual recurring revenue · last 28 days",
      unit: "USD",
      points: exampleSeries(28, "2026-10-26", 1_940_000, 30_000, 1000),
      previous: [],
      bands: [],
      target: 2_000_000,
      targetLabel: "quarter target $2M",
      latestLabel: "$1.97M",
    },
  ],
  board: [
    EXAMPLE_REQUESTS.board,
    {
      ...EXAMPLE_REQUESTS.board,
      cells: EXAMPLE_REQUESTS.board.cells.map((c) => ({
        ...c,
        value: "$1,234,567.89",
        kpi: `${c.kpi} (all plans)`,
      })),
    },
  ],
  nps: [
    EXAMPLE_REQUESTS.nps,
    {
      ...EXAMPLE_REQUESTS.nps,
      buckets: EXAMPLE_REQUESTS.nps.buckets.map((b) => ({ ...b, count: b.count * 100_000 })),
    },
  ],
  breakdown: [
    EXAMPLE_REQUESTS.breakdown,
    {
      ...EXAMPLE_REQUESTS.breakdown,
      title: "Annual recurring revenue by owner",
      bars: EXAMPLE_REQUESTS.breakdown.bars.map((b) => ({
        ...b,
        label: `${b.label}, Enterprise accounts EMEA`,
        value: b.value === null ? null : b.value * 100_000,
        formatted: "$4,820,000",
      })),
    },
  ],
};

/** True when every pixel in a band `margin` wide along each edge is the white background. */
async function marginsBlank(png: Buffer, margin: number): Promise<boolean> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = info;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x >= margin && x < width - margin && y >= margin && y < height - margin) continue;
      const i = (y * width + x) * channels;
      if ((data[i] ?? 0) < 250 || (data[i + 1] ?? 0) < 250 || (data[i + 2] ?? 0) < 250) return false;
    }
  }
  return true;
}

describe("nothing is clipped, whatever the width of the labels", () => {
  it.each(Object.keys(NARROW_THEN_WIDE) as ChartTemplate[])(
    "%s: a blank margin on every side, for narrow labels and then wide ones",
    async (template) => {
      const [narrow, wide] = NARROW_THEN_WIDE[template];
      // the theme pads by 14 px; ink inside 6 px of an edge means something was cut off
      expect(await marginsBlank(await renderChartPng(narrow, { scale: 1 }), 6)).toBe(true);
      expect(await marginsBlank(await renderChartPng(wide, { scale: 1 }), 6)).toBe(true);
      expect(await marginsBlank(await renderChartPng(narrow, { scale: 1 }), 6)).toBe(true);
    },
  );
});

/** The boxes a line's segments can occupy: a monotone curve stays inside the box of its two end points. */
function segmentBoxes(points: { x?: number; y?: number }[]): Box[] {
  const boxes: Box[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as { x: number; y: number };
    const b = points[i] as { x: number; y: number };
    if ([a.x, a.y, b.x, b.y].some((v) => v === undefined || Number.isNaN(v))) continue;
    boxes.push({
      x1: Math.min(a.x, b.x) - 1.5,
      x2: Math.max(a.x, b.x) + 1.5,
      y1: Math.min(a.y, b.y) - 1.5,
      y2: Math.max(a.y, b.y) + 1.5,
    });
  }
  return boxes;
}

describe("trend: the end labels never overlap a line", () => {
  const shapes: [string, Partial<ChartRequest & { template: "trend" }>][] = [
    ["falling into the last point", { points: series([50, 49, 48, 46, 44, 42, 40]), previous: [] }],
    ["rising into the last point", { points: series([40, 41, 43, 45, 47, 48, 50]), previous: [] }],
    ["last value at the target", { points: series([44, 45, 44, 45, 44, 45, 45]), target: 45, previous: [] }],
    [
      "previous period crossing the end",
      { points: series([40, 41, 42, 43, 44, 45, 46]), previous: series([52, 50, 48, 47, 46, 46, 46]) },
    ],
  ];
  it.each(shapes)("%s", async (_name, change) => {
    const request = { ...trend, ...change } as ChartRequest;
    const marks = await sceneOf(request);
    const lineBoxes = marks.filter((m) => m.type === "line").flatMap((m) => segmentBoxes(m.items));
    expect(lineBoxes.length).toBeGreaterThan(5);
    const labels = marks
      .filter((m) => m.type === "text")
      .flatMap((m) => m.items)
      .filter((i) => i.datum && "labelAt" in i.datum && i.text);
    expect(labels.length).toBe((request as { target?: number | null }).target == null ? 1 : 2);
    for (const label of labels) {
      for (const box of lineBoxes) expect(intersects(label.bounds, box), String(label.text)).toBe(false);
    }
    const [a, b] = labels;
    if (a && b) expect(intersects(a.bounds, b.bounds)).toBe(false);
  });
});

describe("smoothing never overshoots the data", () => {
  const step = series([10, 10, 10, 30, 30, 30, 10, 10, 10]);
  it.each([["trend", { ...trend, points: step, previous: step, bands: [], target: null } as ChartRequest]])(
    "%s: every line stays between the lowest and highest point",
    async (_name, request) => {
      const lines = (await sceneOf(request)).filter((m) => m.type === "line");
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        const ys = line.items.map((i) => i.y as number);
        // vega widens a line's bounds by twice its stroke width (joins); a curve that overshoots goes further
        const stroke = 2 * ((line.items[0] as { strokeWidth?: number }).strokeWidth ?? 1) + 0.01;
        expect(line.bounds.y1).toBeGreaterThanOrEqual(Math.min(...ys) - stroke);
        expect(line.bounds.y2).toBeLessThanOrEqual(Math.max(...ys) + stroke);
      }
    },
  );
});
