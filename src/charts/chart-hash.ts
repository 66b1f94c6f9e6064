import { createHash } from "node:crypto";
import type { ChartRequest } from "./chart-request.ts";

/**
 * The content id of a chart: a hash of everything it draws. The renderer's cache and the chart store (and
 * so the PNG file names and preview URLs) use this one id.
 */
export function chartHash(request: ChartRequest): string {
  return createHash("sha256").update(JSON.stringify(request)).digest("hex").slice(0, 24);
}
