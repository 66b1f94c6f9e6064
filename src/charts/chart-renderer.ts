import { Piscina } from "piscina";
import { isClgError } from "../errors.ts";
import { altTextFor } from "./alt-text.ts";
import { chartHash } from "./chart-hash.ts";
import type { ChartRef } from "./chart-request.ts";
import { describeFontProblems, registerChartFonts } from "./fonts.ts";
import { ByteLru } from "./lru-cache.ts";
import { checkScale } from "./sanitize-request.ts";

export type RenderResult = { png: Buffer; altText: string } | { png: null; reason: string };

export interface ChartRenderer {
  /** Never rejects: a chart that cannot be drawn in time comes back as `{ png: null, reason }` and the answer goes out as text. */
  render(ref: ChartRef, opts?: { scale?: number; budgetMs?: number }): Promise<RenderResult>;
  close(): Promise<void>;
}

export interface ChartRendererOptions {
  /** Worker threads drawing charts; default 1 (2 cores: one for the event loop, one for charts). */
  threads?: number;
  /** Renders waiting for a thread beyond which new ones are refused at once. */
  maxQueue?: number;
  cacheBytes?: number;
  /** Default time budget per chart. */
  budgetMs?: number;
  /** Told once, at creation, when the shipped fonts cannot draw some script (default: a process warning). */
  warn?: (message: string) => void;
}

const WORKER = new URL("./render-worker-entry.mjs", import.meta.url);

/** Cache key: template, the chart's content id and the scale (alt text is not drawn, so not part of it). */
export function chartCacheKey(ref: ChartRef, scale: number): string {
  return `${ref.request.template}:${chartHash(ref.request)}@${scale}`;
}

/** A bounded worker pool with a byte-capped cache; rendering never runs on the caller's event loop. */
export function createChartRenderer(options: ChartRendererOptions = {}): ChartRenderer {
  warnAboutFontsOnce(options.warn ?? ((m) => process.emitWarning(m, { code: "CLG_CHART_FONTS" })));
  const threads = options.threads ?? 1;
  const pool = new Piscina({
    filename: WORKER.href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue: options.maxQueue ?? 32,
    // the parent's loader flags do not carry over to workers on Node 20; the entry file loads tsx itself
    execArgv: [],
  });
  // a worker that fails outside a task (e.g. while loading) must not take the service down; the budget
  // still answers each caller, and the failure is kept for the next reason given
  let poolError: string | undefined;
  pool.on("error", (e: unknown) => {
    poolError = `chart workers failed: ${e instanceof Error ? e.message : String(e)}`;
  });
  const cache = new ByteLru(options.cacheBytes ?? 32 * 1024 * 1024);
  const inFlight = new Map<string, Promise<Buffer>>();

  function draw(key: string, ref: ChartRef, scale: number): Promise<Buffer> {
    let pending = inFlight.get(key);
    if (!pending) {
      pending = pool
        .run({ request: ref.request, scale })
        .then((bytes: Uint8Array) => {
          const png = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          cache.set(key, png);
          return png;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    async render(ref, opts = {}) {
      const altText = ref.altText || altTextFor(ref.request);
      let scale: number;
      try {
        scale = checkScale(opts.scale ?? 2);
      } catch (e) {
        return { png: null, reason: (e as Error).message };
      }
      const key = chartCacheKey(ref, scale);
      const cached = cache.get(key);
      if (cached) return { png: cached, altText };
      const budgetMs = opts.budgetMs ?? options.budgetMs ?? 2_000;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<RenderResult>((resolve) => {
        timer = setTimeout(
          () => resolve({ png: null, reason: poolError ?? `chart took longer than ${budgetMs} ms` }),
          budgetMs,
        );
      });
      // a render that misses its budget keeps running and fills the cache, so asking again is instant
      const drawn = draw(key, ref, scale).then(
        (png): RenderResult => ({ png, altText }),
        (e: unknown): RenderResult => ({ png: null, reason: describe(e) }),
      );
      try {
        return await Promise.race([drawn, late]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => pool.destroy(),
  };
}

let fontsChecked = false;
/** The workers load the same files; checking them here says so once per process, not once per thread. */
function warnAboutFontsOnce(warn: (message: string) => void): void {
  if (fontsChecked) return;
  fontsChecked = true;
  const problem = describeFontProblems(registerChartFonts());
  if (problem) warn(problem);
}

function describe(e: unknown): string {
  // errors cross the thread boundary as plain Errors (the ClgError class is lost), so the message is what is kept
  const message = isClgError(e) || e instanceof Error ? e.message : String(e);
  return /queue is at limit/i.test(message)
    ? "too many charts are being drawn; try again in a moment"
    : message;
}
