import sharp from "sharp";
import { compile } from "vega-lite";
import { chartData } from "../../src/charts/chart-data.ts";
import { chartSpec } from "../../src/charts/chart-spec.ts";
import {
  drawChart,
  encodePng,
  prepareText,
  releaseCanvas,
  renderChartPng,
  templateRuntime,
} from "../../src/charts/render-png.ts";
import { vega } from "../../src/charts/vega-runtime.ts";
import { type Summary, summarize, timeEach } from "./stats.ts";
import { variedRequest } from "./vary.ts";

export interface InProcessFigures {
  full: Summary;
  draw: Summary;
  encode: Summary;
  bytes: number;
}

/** Warm renders in this thread: request -> parsed-once runtime -> Skia canvas -> PNG (sharp). */
export async function inProcessFigures(template: "trend" | "board", n: number): Promise<InProcessFigures> {
  prepareText();
  await timeEach(50, (i) => renderChartPng(variedRequest(template, i)));
  let bytes = 0;
  const full = await timeEach(n, async (i) => {
    bytes = (await renderChartPng(variedRequest(template, 100 + i))).length;
  });
  const canvas = await drawChart(chartData(variedRequest(template, 0)), 2);
  const draw = await timeEach(n / 2, async (i) =>
    releaseCanvas(await drawChart(chartData(variedRequest(template, i)), 2)),
  );
  const encode = await timeEach(n / 2, () => encodePng(canvas));
  return { full: summarize(full), draw: summarize(draw), encode: summarize(encode), bytes };
}

/** SVG from the same parsed-once runtime and data, for the raster options we did not pick. */
async function svgOf(i: number): Promise<string> {
  const data = chartData(variedRequest("trend", i));
  const view = new vega.View(templateRuntime(data.template), { renderer: "none" });
  for (const [name, rows] of Object.entries(data.datasets)) view.data(name, rows);
  for (const [name, value] of Object.entries(data.signals)) view.signal(name, value);
  const svg = await view.toSVG(2);
  view.finalize();
  return svg;
}

/** The raster options we did not pick, on the same 2x chart, for docs/charts.md's comparison. */
export async function alternativeFigures(n: number): Promise<Record<string, Summary>> {
  const canvas = await drawChart(chartData(variedRequest("trend", 0)), 2);
  const svgs: Buffer[] = [];
  for (let i = 0; i < n; i++) svgs.push(Buffer.from(await svgOf(i)));
  const compileEach = async (i: number) => {
    const view = new vega.View(vega.parse(compile(chartSpec(variedRequest("trend", i))).spec), {
      renderer: "none",
    });
    await view.toSVG(2);
    view.finalize();
  };
  return {
    "compile + parse per chart -> SVG": summarize(await timeEach(n, compileEach)),
    "parsed-once runtime -> SVG": summarize(await timeEach(n, svgOf)),
    "SVG -> sharp/librsvg raster + PNG (level 2)": summarize(
      await timeEach(n, (i) =>
        sharp(svgs[i]).png({ compressionLevel: 2, adaptiveFiltering: false }).toBuffer(),
      ),
    ),
    "Skia canvas -> Skia's own PNG encoder": summarize(
      await timeEach(n, async () => canvas.encodeSync("png")),
    ),
    "Skia canvas -> sharp PNG (level 2, chosen)": summarize(await timeEach(n, () => encodePng(canvas))),
  };
}
