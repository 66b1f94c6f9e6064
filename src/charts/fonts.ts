import { fileURLToPath } from "node:url";
import { Canvas, GlobalFonts } from "@napi-rs/canvas";
import { CHART_FONT, CHART_FONT_FILES, type FontScript } from "./font-files.ts";

const FONT_DIR = new URL("../../charts/fonts/", import.meta.url);

export interface FontReport {
  /** Font files that could not be registered (missing or unreadable). */
  failed: string[];
  /** Scripts whose sample text has characters drawn as the missing-glyph box. */
  missingGlyphs: { script: FontScript; characters: string }[];
}

let registered: FontReport | undefined;

/**
 * Registers the shipped font files with Skia, once per thread, from the package folder only (no system font
 * lookup), then checks each script's sample characters have glyphs.
 */
export function registerChartFonts(dir: URL = FONT_DIR): FontReport {
  if (registered) return registered;
  const failed: string[] = [];
  for (const { family, files } of Object.values(CHART_FONT_FILES)) {
    for (const file of files) {
      if (!GlobalFonts.registerFromPath(fileURLToPath(new URL(file, dir)), family)) failed.push(file);
    }
  }
  const missingGlyphs = (Object.entries(CHART_FONT_FILES) as [FontScript, { sample: string }][])
    .map(([script, { sample }]) => ({ script, characters: missingCharacters(sample).join("") }))
    .filter((m) => m.characters);
  registered = { failed, missingGlyphs };
  return registered;
}

/** One sentence for the log when charts cannot draw some script, or null when every script is covered. */
export function describeFontProblems(report: FontReport): string | null {
  const parts = [
    ...(report.failed.length ? [`font files not loaded: ${report.failed.join(", ")}`] : []),
    ...report.missingGlyphs.map((m) => `no glyphs for ${m.script} (${m.characters})`),
  ];
  return parts.length ? `charts will draw boxes for some text: ${parts.join("; ")}` : null;
}

/** Pixels of one character drawn in the chart font; the missing-glyph box always draws the same. */
function glyphPixels(ch: string, family: string): string {
  const canvas = new Canvas(48, 48);
  const ctx = canvas.getContext("2d");
  ctx.font = `32px ${family}`;
  ctx.fillText(ch, 4, 36);
  return canvas.data().toString("base64");
}

/** Characters of `text` that the chart font draws as the missing-glyph box. */
export function missingCharacters(text: string, family: string = CHART_FONT): string[] {
  const box = glyphPixels("\u0378", family); // unassigned code point: always the missing-glyph box
  return [...new Set(text)].filter(
    (ch) => ch.trim() && !/\p{Cf}/u.test(ch) && glyphPixels(ch, family) === box,
  );
}
