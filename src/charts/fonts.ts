import { readdirSync } from "node:fs";
import { join } from "node:path";
import { Canvas, GlobalFonts } from "@napi-rs/canvas";
import { vega } from "./vega-runtime.ts";

/** Font files the theme relies on; the Debian packages are fonts-noto-core and fonts-dejavu-core. */
export const REQUIRED_FONT_FILES = {
  latin: ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"],
  thai: ["NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"],
  arabic: ["NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"],
  symbols: ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"],
} as const;
export type FontScript = keyof typeof REQUIRED_FONT_FILES;

export const DEFAULT_FONT_DIRS = ["/usr/share/fonts", "/usr/local/share/fonts"];

export interface FontReport {
  /** File paths registered, by script. */
  found: Record<FontScript, string[]>;
  /** Required file names not found under the font folders. */
  missing: string[];
}

function indexFontFiles(dirs: readonly string[]): Map<string, string> {
  const byName = new Map<string, string>();
  const walk = (dir: string): void => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // a font folder that does not exist on this machine is simply skipped
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (!byName.has(e.name)) byName.set(e.name, path);
    }
  };
  for (const d of dirs) walk(d);
  return byName;
}

let registered: FontReport | undefined;

/**
 * Registers the theme's font files with Skia once per thread and makes vega measure text with them,
 * so label sizes match what is drawn instead of vega's 0.8em-per-character estimate.
 */
export function registerChartFonts(dirs: readonly string[] = DEFAULT_FONT_DIRS): FontReport {
  if (registered) return registered;
  const files = indexFontFiles(dirs);
  const found = { latin: [], thai: [], arabic: [], symbols: [] } as Record<FontScript, string[]>;
  const missing: string[] = [];
  for (const [script, names] of Object.entries(REQUIRED_FONT_FILES) as [FontScript, readonly string[]][]) {
    for (const name of names) {
      const path = files.get(name);
      if (path && GlobalFonts.registerFromPath(path)) found[script].push(path);
      else missing.push(name);
    }
  }
  installTextMetrics();
  registered = { found, missing };
  return registered;
}

interface TextItem {
  fontSize?: number;
  limit?: number;
}
/** vega-scenegraph exports these at runtime; vega-typings does not declare them. */
const scenegraph = vega as unknown as {
  textMetrics: { width: (item: TextItem, text?: unknown) => number };
  font: (item: TextItem) => string;
};

function installTextMetrics(): void {
  const ctx = new Canvas(1, 1).getContext("2d");
  const cache = new Map<string, number>();
  // vega calls this for every label and title; a user-defined width is a documented extension point
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
