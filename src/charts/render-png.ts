import { Canvas } from "@napi-rs/canvas";
import sharp from "sharp";
import type { Runtime, ToCanvasOptions, View } from "vega";
import { ClgError } from "../errors.ts";
import { type ChartData, chartData, type TemplateName } from "./chart-data.ts";
import { registerChartFonts } from "./fonts.ts";
import { checkScale, sanitizeChartRequest } from "./sanitize-request.ts";
import { templateSpec } from "./templates.ts";
import { installTextMetrics } from "./text-metrics.ts";
import { vega, vegaLite } from "./vega-runtime.ts";

/** PNG compression level: 2 is about as small as 6 for flat chart colours and twice as fast to encode. */
const PNG_COMPRESSION = 2;
/** No chart needs more pixels than this (a 2x board is about 2,000 x 550). */
const MAX_PIXELS = 4_000_000;

// every chart's pixels are new, so libvips' operation cache only holds memory (hundreds of MB over time)
sharp.cache(false);

const runtimes = new Map<TemplateName, Runtime>();

/** Compiles and parses a template once; every later render reuses the parsed runtime and only swaps data. */
export function templateRuntime(name: TemplateName): Runtime {
  let runtime = runtimes.get(name);
  if (!runtime) {
    runtime = vega.parse(vegaLite.compile(templateSpec(name)).spec);
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

const idleCanvases: Canvas[] = [];
function acquireCanvas(width: number, height: number): Canvas {
  const i = idleCanvases.findIndex((c) => c.width === width && c.height === height);
  return i >= 0 ? (idleCanvases.splice(i, 1)[0] as Canvas) : new Canvas(width, height);
}
export function releaseCanvas(canvas: Canvas): void {
  if (idleCanvases.length < 8) idleCanvases.push(canvas);
}

/** Views kept per template between renders: building a View from the runtime is most of the per-chart work. */
const idleViews = new Map<TemplateName, View[]>();
const MAX_IDLE_VIEWS = 4;
/**
 * A View keeps a few KB of dataflow state per run that it never drops (measured: heap +20 MB over 8,000
 * renders with views kept forever, flat when they are retired), so each is retired after this many charts.
 */
const VIEW_USES = 200;
const viewUses = new WeakMap<View, number>();

function acquireView(name: TemplateName): View {
  return idleViews.get(name)?.pop() ?? new vega.View(templateRuntime(name), { renderer: "none" });
}

function releaseView(name: TemplateName, view: View): void {
  const uses = (viewUses.get(view) ?? 0) + 1;
  viewUses.set(view, uses);
  const idle = idleViews.get(name) ?? [];
  idleViews.set(name, idle);
  if (idle.length < MAX_IDLE_VIEWS && uses < VIEW_USES) idle.push(view);
  else view.finalize();
}

/**
 * Runs a template's parsed runtime on one request's data and draws it with Skia. Every render sets all of
 * the template's datasets and parameters, so a reused View carries nothing over from the previous chart.
 */
export async function drawChart(data: ChartData, scale: number): Promise<Canvas> {
  const view = acquireView(data.template);
  try {
    for (const [name, rows] of Object.entries(data.datasets)) view.data(name, rows);
    for (const [name, value] of Object.entries(data.signals)) view.signal(name, value);
    if (data.size) view.width(data.size.width).height(data.size.height);
    // a reused View only re-lays itself out when asked: without this the previous chart's origin and size
    // stay, and wider y-axis labels push the title and axis title off the left edge
    view.resize();
    await view.runAsync();
    const size = viewSize(view);
    const width = Math.ceil(size.width * scale);
    const height = Math.ceil(size.height * scale);
    if (width * height > MAX_PIXELS) {
      throw new ClgError(
        "clg_chart_failed",
        `This chart would be ${width} x ${height} pixels, too large to send.`,
        {
          hint: "Use a smaller scale or fewer rows.",
        },
      );
    }
    const canvas = acquireCanvas(width, height);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0); // vega scales and translates the context it is given
    // the documented headless option: vega draws into our Skia context instead of looking for node-canvas
    await view.toCanvas(scale, { externalContext: ctx } satisfies ToCanvasOptions);
    releaseView(data.template, view);
    return canvas;
  } catch (e) {
    view.finalize(); // a view that failed mid-run is not trusted for the next chart
    throw e;
  }
}

/** Encodes the canvas pixels as an RGB PNG; the background is opaque, so premultiplied RGBA is plain RGBA. */
export function encodePng(canvas: Canvas): Promise<Buffer> {
  return encodePixels(canvas.data(), canvas.width, canvas.height);
}

function encodePixels(pixels: Buffer, width: number, height: number): Promise<Buffer> {
  return sharp(pixels, { raw: { width, height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: PNG_COMPRESSION, adaptiveFiltering: false })
    .toBuffer();
}

/** Registers the shipped fonts and measures text with them; once per thread. */
export function prepareText(): void {
  registerChartFonts();
  installTextMetrics();
}

/** Request in, PNG out, in this thread. Most callers want `createChartRenderer`, which keeps this off the event loop. */
export async function renderChartPng(request: unknown, options: { scale?: number } = {}): Promise<Buffer> {
  prepareText();
  const scale = checkScale(options.scale ?? 2);
  const canvas = await drawChart(chartData(sanitizeChartRequest(request)), scale);
  const pixels = canvas.data();
  releaseCanvas(canvas);
  return encodePixels(pixels, canvas.width, canvas.height);
}
