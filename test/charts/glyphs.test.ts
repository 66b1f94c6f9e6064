import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";
import { CHART_FONT_FILES } from "../../src/charts/font-files.ts";
import { describeFontProblems, missingCharacters, registerChartFonts } from "../../src/charts/fonts.ts";
import { renderChartPng } from "../../src/charts/render-png.ts";

const TITLES = {
  thai: "อัตราการเปิดใช้งานทดลอง",
  vietnamese: "Tỷ lệ kích hoạt dùng thử của khách hàng",
  persian: "نرخ فعال‌سازی آزمایشی مشتریان",
  symbols: "●▲■○✖↓→▼",
};

describe("every script our users write, from the fonts shipped in the package", () => {
  const fonts = registerChartFonts();

  it("registers every shipped font file, with no system font lookup, and reports no missing glyphs", () => {
    expect(fonts).toEqual({ failed: [], missingGlyphs: [] });
    expect(describeFontProblems(fonts)).toBeNull();
  });

  it("recognises a missing glyph (the check can fail)", () => {
    expect(missingCharacters("a\u0378\uE000")).toEqual(["\u0378", "\uE000"]);
    // a family that has no file behind it draws only boxes: that is what a machine without the fonts would see
    const report = {
      failed: ["NotoSansThai-Regular.ttf"],
      missingGlyphs: [{ script: "thai" as const, characters: "อั" }],
    };
    expect(describeFontProblems(report)).toMatch(/NotoSansThai-Regular\.ttf.*no glyphs for thai \(อั\)/);
  });

  it.each(Object.entries(TITLES))("%s has a glyph for every character", (_script, text) => {
    expect(missingCharacters(text)).toEqual([]);
  });

  it.each(Object.entries(CHART_FONT_FILES))("the %s family alone covers its sample", (_script, f) => {
    expect(missingCharacters(f.sample, f.family)).toEqual([]);
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
