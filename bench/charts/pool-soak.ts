import { monitorEventLoopDelay } from "node:perf_hooks";
import { createChartRenderer } from "../../src/charts/chart-renderer.ts";
import { variedRequest } from "./vary.ts";

export interface SoakFigures {
  renders: number;
  failures: number;
  seconds: number;
  rssSamples: number[];
  peakRss: number;
  /** How late the main thread's event loop ran while the workers drew: what a Slack ack would wait. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

/** Many distinct charts through the worker pool (no cache hits), watching the process's resident memory. */
export async function poolSoak(renders: number, threads = 2): Promise<SoakFigures> {
  const renderer = createChartRenderer({ threads, maxQueue: 64, cacheBytes: 8 * 1024 * 1024 });
  const rssSamples: number[] = [];
  let failures = 0;
  let next = 0;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const lane = async () => {
    while (next < renders) {
      const i = next++;
      const request = variedRequest(i % 2 === 0 ? "trend" : "board", i);
      const result = await renderer.render({ request, altText: "" }, { budgetMs: 30_000 });
      if (!result.png) failures++;
      if (i % 1000 === 999) rssSamples.push(process.memoryUsage.rss());
    }
  };
  try {
    await Promise.all(Array.from({ length: threads * 2 }, lane));
  } finally {
    loop.disable();
    await renderer.close();
  }
  return {
    renders,
    failures,
    seconds: (performance.now() - started) / 1000,
    rssSamples,
    peakRss: process.resourceUsage().maxRSS * 1024,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
  };
}
