import { execFile } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chartSpec } from "../../src/charts/chart-spec.ts";
import { chromiumFigures } from "./chromium.ts";
import { alternativeFigures, inProcessFigures } from "./in-process.ts";
import type { SoakFigures } from "./pool-soak.ts";
import { mb, ms, type Summary, summarize } from "./stats.ts";
import { variedRequest } from "./vary.ts";

const run = promisify(execFile);
const COLD_START = fileURLToPath(new URL("./cold-start.ts", import.meta.url));
const SOAK = fileURLToPath(new URL("./soak-child.ts", import.meta.url));

/** A fresh process per sample: node + tsx boot, imports, fonts, template compile and parse, first 2x PNG. */
async function coldStart(samples: number): Promise<{ toFirstPng: Summary; firstRender: Summary }> {
  const first: number[] = [];
  const render: number[] = [];
  for (let i = 0; i < samples; i++) {
    const { stdout } = await run(process.execPath, ["--import", "tsx", COLD_START]);
    const r = JSON.parse(stdout) as { imported: number; first: number };
    first.push(r.first);
    render.push(r.first - r.imported);
  }
  return { toFirstPng: summarize(first), firstRender: summarize(render) };
}

const row = (label: string, s: Summary) =>
  `  ${label.padEnd(46)} median ${ms(s.median).padStart(9)}  p95 ${ms(s.p95).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  (n=${s.n})`;

/** Prints the chart figures docs/charts.md quotes; one run, this machine. */
export async function runChartBench(options: { soakRenders?: number } = {}): Promise<void> {
  const load = () => loadavg()[0]?.toFixed(1);
  console.log(
    `\n== charts (2x PNG; ${availableParallelism()} cores; node ${process.version}; load ${load()}) ==`,
  );

  const cold = await coldStart(5);
  console.log("cold start, new process to first 2x trend PNG (5 runs):");
  console.log(row("process start -> first PNG", cold.toFirstPng));
  console.log(row("  of which first render (compile, parse, draw)", cold.firstRender));

  for (const template of ["trend", "board"] as const) {
    const f = await inProcessFigures(template, 400);
    console.log(`${template}, warm, in process (${(f.bytes / 1024).toFixed(0)} KB PNG):`);
    console.log(row("request -> PNG", f.full));
    console.log(row("  vega view run + draw calls (Skia records)", f.draw));
    console.log(row("  pixels out + sharp PNG encode", f.encode));
  }
  console.log(`  RSS of this process after the in-process renders: ${mb(process.memoryUsage.rss())}`);

  console.log("raster options, 2x trend (the choice in docs/charts.md):");
  for (const [label, s] of Object.entries(await alternativeFigures(40))) console.log(row(label, s));

  for (const template of ["trend", "board"] as const) {
    const browser = await chromiumFigures((i) => chartSpec(variedRequest(template, i)), {
      fresh: 20,
      reused: 60,
    });
    // the machine's load changes over a run, so ours is measured again right next to the browser
    const mine = (await inProcessFigures(template, 100)).full.median;
    console.log(`${template}, headless Chromium + vega-embed, same spec (load ${load()}):`);
    console.log(row("fresh page per chart", browser.freshPage));
    console.log(row("one reused page", browser.reusedPage));
    console.log(
      `  ours alongside: median ${ms(mine)}; ${(browser.freshPage.median / mine).toFixed(0)}x faster than a fresh page, ` +
        `${(browser.reusedPage.median / mine).toFixed(1)}x faster than a reused page (medians)`,
    );
  }

  const renders = options.soakRenders ?? 10_000;
  const { stdout } = await run(process.execPath, ["--import", "tsx", SOAK, String(renders)], {
    maxBuffer: 1 << 20,
  });
  const soak = JSON.parse(stdout) as SoakFigures;
  console.log(
    `render pool in a fresh process, ${soak.renders} distinct charts (trend and board), 2 worker threads (load ${load()}):`,
  );
  console.log(
    `  ${(soak.renders / soak.seconds).toFixed(0)} PNG/s, ${soak.failures} failures, ` +
      `RSS every 1,000: ${soak.rssSamples.map(mb).join(" ")}`,
  );
  const firstRss = soak.rssSamples[0] ?? 0;
  const lastRss = soak.rssSamples.at(-1) ?? 0;
  const low = Math.min(...soak.rssSamples);
  const high = Math.max(...soak.rssSamples);
  console.log(
    `  RSS first ${mb(firstRss)}, last ${mb(lastRss)}, range ${mb(low)}-${mb(high)}; peak RSS ${mb(soak.peakRss)}`,
  );
  console.log(
    `  main event loop delay while drawing: p99 ${ms(soak.loopDelayP99Ms)}, max ${ms(soak.loopDelayMaxMs)}`,
  );
}
