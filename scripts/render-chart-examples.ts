// Renders the pictures in docs/charts.md: one 2x PNG per chart template, plus the no-data chart and a mixed-script chart.
import { mkdirSync, writeFileSync } from "node:fs";
import type { ChartRequest } from "../src/charts/chart-request.ts";
import { EXAMPLE_REQUESTS } from "../src/charts/example-requests.ts";
import { renderChartPng } from "../src/charts/render-png.ts";

const OUT = new URL("../docs/charts/", import.meta.url);

const extras: Record<string, ChartRequest> = {
  empty: { ...EXAMPLE_REQUESTS.trend, title: "Weekly active teams, last 7 days", points: [], previous: [] },
  scripts: {
    template: "breakdown",
    title: "Kích hoạt dùng thử · อัตราการเปิดใช้งาน · نرخ فعال‌سازی",
    unit: "by region",
    bars: [
      { label: "Việt Nam", value: 46.1, formatted: "46.1%", status: "green", delta: "▲ 2.0 pts" },
      { label: "ประเทศไทย", value: 41.2, formatted: "41.2%", status: "amber", delta: "▼ 0.8 pts" },
      { label: "ایران", value: 35.7, formatted: "35.7%", status: "red", delta: "▼ 3.5 pts" },
      { label: "Deutschland", value: 44.0, formatted: "44.0%", status: "green", delta: null },
    ],
  },
};

mkdirSync(OUT, { recursive: true });
for (const [name, request] of [...Object.entries(EXAMPLE_REQUESTS), ...Object.entries(extras)]) {
  const png = await renderChartPng(request, { scale: 2 });
  writeFileSync(new URL(`${name}.png`, OUT), png);
  console.log(`docs/charts/${name}.png ${(png.length / 1024).toFixed(0)} KB`);
}
