import { Canvas } from "@napi-rs/canvas";
import sharp from "sharp";
import type { Runtime, ToCanvasOptions, View } from "vega";
import { compile } from "vega-lite";
import { type ChartData, chartData, type TemplateName } from "./chart-data.ts";
import { registerChartFonts } from "./fonts.ts";
import { checkScale, sanitizeChartRequest } from "./sanitize-request.ts";
import { templateSpec } from "./templates.ts";
import { vega } from "./vega-runtime.ts";

/** PNG compression level: 2 is about as small as 6 for flat chart colours and twice as fast to encode. */
const PNG_COMPRESSION = 2;
/** No chart needs more pixels than this (a 2x board is about 2,000 x 550). */
const MAX_PIXELS = 4_000_000;

const runtimes = new Map<TemplateName, Runtime>();

/** Compiles and parses a template once; every later render reuses the parsed runtime and only swaps data. */
export function templateRuntime(name: TemplateName): Runtime {
  let runtime = runtimes.get(name);
  if (!runtime) {
    runtime = vega.parse(compile(templateSpec(name)).spec);
    runtimes.set(name, runtime);
  }
  return runtime;
}

/** vega-view keeps the autosized view size private; its own toCanvas reads the same two fields. */
function viewSize(view: View): { width: number; height: number } {
  const v = view as unknown as { _viewWidth: number; _viewHeight: number };
  const pad = view.padding() as { top: number; bottom: number; left: number; right: number };
  return { width: v._viewWidth + pad.left + pad.right, height: v._viewHeight + pad.top + pad.bottom };
}

/** Runs a template's parsed runtime on one request's data and draws it with Skia. */
export async function drawChart(data: ChartData, scale: number): Promise<Canvas> {
  const view = new vega.View(templateRuntime(data.template), { renderer: "none" });
  try {
    for (const [name, rows] of Object.entries(data.datasets)) view.data(name, rows);
    for (const [name, value] of Object.entries(data.signals)) view.signal(name, value);
    if (data.size) view.width(data.size.width).height(data.size.height);
    await view.runAsync();
    const size = viewSize(view);
    const width = Math.ceil(size.width * scale);
    const height = Math.ceil(size.height * scale);
    if (width * height > MAX_PIXELS) throw new Error(`chart would be ${width}x${height} pixels`);
    const canvas = new Canvas(width, height);
    // the documented headless option: vega draws into our Skia context instead of looking for node-canvas
    await view.toCanvas(scale, { externalContext: canvas.getContext("2d") } satisfies ToCanvasOptions);
    return canvas;
  } finally {
    view.finalize();
  }
}

/** Encodes the canvas pixels as an RGB PNG; the background is opaque, so premultiplied RGBA is plain RGBA. */
export function encodePng(canvas: Canvas): Promise<Buffer> {
  return sharp(canvas.data(), { raw: { width: canvas.width, height: canvas.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: PNG_COMPRESSION, adaptiveFiltering: false })
    .toBuffer();
}

/** Request in, PNG out, in this thread. Most callers want `createChartRenderer`, which keeps this off the event loop. */
export async function renderChartPng(request: unknown, options: { scale?: number } = {}): Promise<Buffer> {
  registerChartFonts();
  const scale = checkScale(options.scale ?? 2);
  const canvas = await drawChart(chartData(sanitizeChartRequest(request)), scale);
  return encodePng(canvas);
}
