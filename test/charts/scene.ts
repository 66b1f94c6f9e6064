import type { Scene, SceneItem } from "vega";
import { chartData } from "../../src/charts/chart-data.ts";
import type { ChartRequest } from "../../src/charts/chart-request.ts";
import { registerChartFonts } from "../../src/charts/fonts.ts";
import { templateRuntime } from "../../src/charts/render-png.ts";
import { sanitizeChartRequest } from "../../src/charts/sanitize-request.ts";
import { installTextMetrics } from "../../src/charts/text-metrics.ts";
import { vega } from "../../src/charts/vega-runtime.ts";

export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
export interface SceneMark {
  type: string;
  bounds: Box;
  items: (SceneItem & {
    x?: number;
    y?: number;
    text?: string;
    bounds: Box;
    interpolate?: string;
    datum?: Record<string, unknown>;
  })[];
}

/** The laid-out scenegraph of a request, as the renderer would draw it, flattened to its marks. */
export async function sceneOf(request: ChartRequest): Promise<SceneMark[]> {
  registerChartFonts();
  installTextMetrics();
  const data = chartData(sanitizeChartRequest(request));
  const view = new vega.View(templateRuntime(data.template), { renderer: "none" });
  for (const [name, rows] of Object.entries(data.datasets)) view.data(name, rows);
  for (const [name, value] of Object.entries(data.signals)) view.signal(name, value);
  if (data.size) view.width(data.size.width).height(data.size.height);
  await view.runAsync();
  const marks: SceneMark[] = [];
  const walk = (node: Scene | SceneItem): void => {
    const mark = node as unknown as { marktype?: string; items?: unknown[]; bounds: Box };
    if (mark.marktype && mark.items) {
      marks.push({ type: mark.marktype, bounds: mark.bounds, items: mark.items as SceneMark["items"] });
    }
    for (const child of (mark.items ?? []) as (Scene | SceneItem)[]) walk(child);
  };
  walk((view.scenegraph() as unknown as { root: Scene }).root);
  view.finalize();
  return marks;
}

export const intersects = (a: Box, b: Box): boolean =>
  a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
