import sharp from "sharp";
import { prepareText, renderChartPng } from "./render-png.ts";

/** Runs in a worker thread of the render pool: fonts are registered and each template parsed once per thread. */
prepareText();
// one libvips thread per worker: the pool is the parallelism
sharp.concurrency(1);

export interface RenderTask {
  request: unknown;
  scale: number;
}

export default async function render(task: RenderTask): Promise<Uint8Array> {
  return renderChartPng(task.request, { scale: task.scale });
}
