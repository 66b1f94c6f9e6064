import { Canvas } from "@napi-rs/canvas";
import { vega } from "./vega-runtime.ts";

interface TextItem {
  fontSize?: number;
  limit?: number;
}
/** vega-scenegraph exports these at runtime; vega-typings does not declare them. */
const scenegraph = vega as unknown as {
  textMetrics: { width: (item: TextItem, text?: unknown) => number };
  font: (item: TextItem) => string;
};

let installed = false;

/**
 * Makes vega measure text with the Skia fonts it draws with, so label sizes match what is drawn instead of
 * vega's 0.8em-per-character estimate. A user-defined width is vega's documented extension point.
 */
export function installTextMetrics(): void {
  if (installed) return;
  installed = true;
  const ctx = new Canvas(1, 1).getContext("2d");
  const cache = new Map<string, number>();
  scenegraph.textMetrics.width = (item: TextItem, text?: unknown): number => {
    const s = text == null ? "" : String(text).trim();
    if (!s || (item.fontSize ?? 11) <= 0) return 0;
    const f = scenegraph.font(item);
    const key = `${f}\u0000${s}`;
    let width = cache.get(key);
    if (width === undefined) {
      ctx.font = f;
      width = ctx.measureText(s).width;
      if (cache.size > 5_000) cache.clear();
      cache.set(key, width);
    }
    return item.limit && item.limit > 0 ? Math.min(width, item.limit) : width;
  };
}
