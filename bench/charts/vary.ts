import type { ChartRequest } from "../../src/charts/chart-request.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";

/** The example chart with its numbers nudged by `i`, so no render can be served from a cache. */
export function variedRequest(template: "trend" | "board", i: number): ChartRequest {
  if (template === "trend") {
    const r = EXAMPLE_REQUESTS.trend;
    return {
      ...r,
      points: r.points.map((p, k) => ({ ...p, value: (p.value ?? 0) + ((i * 7 + k) % 13) / 10 + i / 1e5 })),
    };
  }
  const r = EXAMPLE_REQUESTS.board;
  return { ...r, cells: r.cells.map((c, k) => ({ ...c, value: `${(i * 31 + k * 17) % 1000}.${i}` })) };
}
