/**
 * The fonts charts are drawn with, shipped in `charts/fonts/` (subsets of Noto Sans and DejaVu Sans made by
 * scripts/subset-chart-fonts.sh). Each is registered under its own family name, so a machine's installed
 * fonts (or their absence) never change a chart.
 */
export const CHART_FONT_FILES = {
  latin: {
    family: "Chart Sans",
    files: ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"],
    /** Characters that must have a glyph: the startup check draws them. */
    sample: "Annual recurring revenue Tỷ lệ kích hoạt dùng thử $€£ 1,234.5% –",
  },
  thai: {
    family: "Chart Sans Thai",
    files: ["NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"],
    sample: "อัตราการเปิดใช้งานทดลอง",
  },
  arabic: {
    family: "Chart Sans Arabic",
    files: ["NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"],
    sample: "نرخ فعال‌سازی آزمایشی مشتریان ۱۲۳",
  },
  symbols: {
    family: "Chart Symbols",
    files: ["DejaVuSans-Symbols.ttf", "DejaVuSans-Symbols-Bold.ttf"],
    sample: "●▲■○✖↓→▼−",
  },
} as const;
export type FontScript = keyof typeof CHART_FONT_FILES;

/** The theme's font list: Latin first, then the scripts it lacks, in the order Skia falls back. */
export const CHART_FONT = Object.values(CHART_FONT_FILES)
  .map((f) => f.family)
  .join(", ");
