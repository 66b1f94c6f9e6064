// Draws the Teams app icons: teams/color.png (192 x 192, full colour) and teams/outline.png (32 x 32, white on transparent).
import sharp from "sharp";

const ACCENT = "#3B2FC9";
/** Three rising bars: KPIs going the right way. Drawn on a 32-unit grid, edges on whole pixels. */
const glyph = (fill: string) => `
  <rect x="4" y="17" width="6" height="11" rx="1" fill="${fill}"/>
  <rect x="13" y="11" width="6" height="17" rx="1" fill="${fill}"/>
  <rect x="22" y="4" width="6" height="24" rx="1" fill="${fill}"/>`;

const color = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 32 32">
  <rect width="32" height="32" fill="${ACCENT}"/>
  <g transform="translate(5 5) scale(0.6875)">${glyph("#FFFFFF")}</g>
</svg>`;
const outline = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">${glyph("#FFFFFF")}</svg>`;

const out = new URL("../teams/", import.meta.url);
await sharp(Buffer.from(color)).png().toFile(new URL("color.png", out).pathname);
// White only: every pixel is white, and the alpha channel carries the shape.
const alpha = await sharp(Buffer.from(outline)).ensureAlpha().extractChannel("alpha").raw().toBuffer();
await sharp({ create: { width: 32, height: 32, channels: 3, background: "#FFFFFF" } })
  .joinChannel(alpha, { raw: { width: 32, height: 32, channels: 1 } })
  .png()
  .toFile(new URL("outline.png", out).pathname);
console.log("teams/color.png 192 x 192, teams/outline.png 32 x 32");
