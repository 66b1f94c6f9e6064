// Run as its own process: how long from process start to the first PNG (imports, fonts, template parse, render).
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";
import { renderChartPng } from "../../src/charts/render-png.ts";

const imported = performance.now();
const png = await renderChartPng(EXAMPLE_REQUESTS.trend, { scale: 2 });
const first = performance.now();
process.stdout.write(`${JSON.stringify({ imported, first, bytes: png.length })}\n`);
