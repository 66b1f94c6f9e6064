import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { ChartTemplate } from "../../src/charts/chart-request.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";
import { renderChartPng } from "../../src/charts/render-png.ts";

/** Share of pixels that differ from the white background. */
async function inkShare(png: Buffer): Promise<number> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let ink = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if ((data[i] ?? 255) < 240 || (data[i + 1] ?? 255) < 240 || (data[i + 2] ?? 255) < 240) ink++;
  }
  return ink / (info.width * info.height);
}

// 2x sizes with the pinned Noto fonts; a different font would change the axis and label widths
const EXPECTED_2X: Record<ChartTemplate, [number, number]> = {
  trend: [1392, 618],
  board: [1976, 478],
  nps: [1166, 658],
  breakdown: [1266, 442],
};

describe("renderChartPng", () => {
  it.each(Object.keys(EXAMPLE_REQUESTS) as ChartTemplate[])(
    "%s: a valid, non-blank PNG of the expected size",
    async (t) => {
      const png = await renderChartPng(EXAMPLE_REQUESTS[t], { scale: 2 });
      const meta = await sharp(png).metadata();
      expect(meta.format).toBe("png");
      const [w, h] = EXPECTED_2X[t];
      expect(Math.abs((meta.width ?? 0) - w)).toBeLessThanOrEqual(4);
      expect(Math.abs((meta.height ?? 0) - h)).toBeLessThanOrEqual(4);
      expect(await inkShare(png)).toBeGreaterThan(0.01);
      const one = await sharp(await renderChartPng(EXAMPLE_REQUESTS[t], { scale: 1 })).metadata();
      expect(Math.abs((one.width ?? 0) * 2 - (meta.width ?? 0))).toBeLessThanOrEqual(2);
    },
  );

  it("draws the no-data chart for an empty window", async () => {
    const png = await renderChartPng({ ...EXAMPLE_REQUESTS.trend, points: [] }, { scale: 1 });
    const meta = await sharp(png).metadata();
    expect(meta.height).toBeLessThan(200);
    expect(await inkShare(png)).toBeGreaterThan(0.002);
  });

  it.each([0, 0.5, 4, 100, Number.NaN])("refuses scale %s", async (scale) => {
    await expect(renderChartPng(EXAMPLE_REQUESTS.board, { scale })).rejects.toMatchObject({
      code: "clg_chart_failed",
    });
  });
});

describe("reused views", () => {
  it("draw the same chart byte for byte whatever was drawn before", async () => {
    const first = await renderChartPng(EXAMPLE_REQUESTS.breakdown, { scale: 1 });
    await renderChartPng(
      { ...EXAMPLE_REQUESTS.breakdown, bars: EXAMPLE_REQUESTS.breakdown.bars.slice(0, 2) },
      { scale: 1 },
    );
    await renderChartPng({ ...EXAMPLE_REQUESTS.breakdown, bars: [] }, { scale: 1 });
    const again = await renderChartPng(EXAMPLE_REQUESTS.breakdown, { scale: 1 });
    expect(again.equals(first)).toBe(true);
  });

  it("clear a reused canvas of the same size", async () => {
    const first = await renderChartPng(EXAMPLE_REQUESTS.trend, { scale: 2 });
    const shifted = EXAMPLE_REQUESTS.trend.points.map((p) => ({ ...p, value: (p.value ?? 0) + 0.5 }));
    const other = await renderChartPng({ ...EXAMPLE_REQUESTS.trend, points: shifted }, { scale: 2 });
    const again = await renderChartPng(EXAMPLE_REQUESTS.trend, { scale: 2 });
    expect(other.equals(first)).toBe(false);
    expect(again.equals(first)).toBe(true);
  });
});
