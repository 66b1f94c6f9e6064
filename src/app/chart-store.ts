import { chartHash } from "../charts/chart-hash.ts";
import type { ChartRef } from "../charts/chart-request.ts";
import { ByteLru } from "../charts/lru-cache.ts";
import type { Message } from "../messages/message.ts";
import type { RenderedChart } from "./chat-sender.ts";

/** Renders one chart to PNG, or null when it could not be done within its budget (text-only answer). */
export type RenderChart = (chart: ChartRef) => Promise<Buffer | null>;

export function chartsOf(message: Message): ChartRef[] {
  return message.blocks.flatMap((b) => (b.type === "chart" ? [b.chart] : []));
}

/**
 * Keeps recently rendered PNGs by content id so the preview page (and platforms fetching by URL) can load
 * them, bounded by bytes so memory stays flat.
 */
export class ChartStore {
  private readonly pngs: ByteLru;

  constructor(
    private readonly render: RenderChart,
    capacityBytes = 32 * 1024 * 1024,
  ) {
    this.pngs = new ByteLru(capacityBytes);
  }

  get(id: string): Buffer | null {
    return this.pngs.get(id) ?? null;
  }

  /** Renders every chart of a message (in parallel, each within the renderer's budget). */
  async renderMessage(message: Message): Promise<RenderedChart[]> {
    return Promise.all(chartsOf(message).map((chart) => this.renderOne(chart)));
  }

  private async renderOne(chart: ChartRef): Promise<RenderedChart> {
    const id = chartHash(chart.request);
    const cached = this.get(id);
    if (cached) return { id, altText: chart.altText, png: cached };
    const png = await this.render(chart);
    if (png) this.pngs.set(id, png);
    return { id, altText: chart.altText, png };
  }
}
