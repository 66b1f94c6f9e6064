import { Canvas } from "@napi-rs/canvas";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";
import { registerChartFonts } from "../../src/charts/fonts.ts";
import { renderChartPng } from "../../src/charts/render-png.ts";
import { CHART_FONT } from "../../src/charts/theme.ts";

const TITLES = {
  thai: "อัตราการเปิดใช้งานทดลอง",
  vietnamese: "Tỷ lệ kích hoạt dùng thử của khách hàng",
  persian: "نرخ فعال‌سازی آزمایشی مشتریان",
  symbols: "●▲■○✖↓→▼",
};

/** Pixels of one code point drawn in the chart font, so a missing glyph (the .notdef box) can be recognised. */
function glyphPixels(ch: string, family = CHART_FONT): string {
  const canvas = new Canvas(48, 48);
  const ctx = canvas.getContext("2d");
  ctx.font = `32px ${family}`;
  ctx.fillText(ch, 4, 36);
  return canvas.data().toString("base64");
}

function missingGlyphs(text: string, family = CHART_FONT): string[] {
  const box = glyphPixels("\u0378", family); // unassigned: always drawn as the missing-glyph box
  return [...new Set(text)].filter((ch) => ch.trim() && glyphPixels(ch, family) === box);
}

describe("every script our users write", () => {
  const fonts = registerChartFonts();

  it("finds a font file for Latin, Thai, Arabic script and the status symbols", () => {
    expect(fonts.missing).toEqual([]);
    for (const files of Object.values(fonts.found)) expect(files.length).toBeGreaterThan(0);
  });

  it("recognises a missing glyph (the check can fail)", () => {
    expect(missingGlyphs("a\u0378\uE000")).toEqual(["\u0378", "\uE000"]);
  });

  it.each(Object.entries(TITLES))("%s has a glyph for every character", (_script, text) => {
    expect(missingGlyphs(text)).toEqual([]);
  });

  it.each(Object.entries(TITLES))(
    "a %s title renders with no missing-glyph boxes",
    async (_script, title) => {
      const png = await renderChartPng({ ...EXAMPLE_REQUESTS.trend, title }, { scale: 1 });
      // the title band of the chart, drawn with each character replaced by the box, must differ from the real one
      const boxes = await renderChartPng(
        { ...EXAMPLE_REQUESTS.trend, title: title.replace(/\S/gu, "\u0378") },
        { scale: 1 },
      );
      const crop = (b: Buffer) =>
        sharp(b).extract({ left: 0, top: 0, width: 400, height: 40 }).raw().toBuffer();
      expect((await crop(png)).equals(await crop(boxes))).toBe(false);
    },
  );
});
