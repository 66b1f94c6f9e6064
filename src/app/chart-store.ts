import { createHash } from "node:crypto";
import type { ChartRef } from "../charts/chart-request.ts";
import type { Message } from "../messages/message.ts";
import type { RenderedChart } from "./chat-sender.ts";

/** Renders one chart to PNG, or null when it could not be done within its budget (text-only answer). */
export type RenderChart = (chart: ChartRef) => Promise<Buffer | null>;

export function chartId(chart: ChartRef): string {
  return createHash("sha256").update(JSON.stringify(chart.request)).digest("hex").slice(0, 24);
}

export function chartsOf(message: Message): ChartRef[] {
  return message.blocks.flatMap((b) => (b.type === "chart" ? [b.chart] : []));
}

/**
 * Keeps recently rendered PNGs by content id so the preview page (and platforms fetching by URL) can load
 * them, bounded so memory stays flat.
 */
export class ChartStore {
  private readonly pngs = new Map<string, Buffer>();

  constructor(
    private readonly render: RenderChart,
    private readonly capacity = 200,
  ) {}

  get(id: string): Buffer | null {
    const png = this.pngs.get(id);
    if (!png) return null;
    // Refresh recency: Map keeps insertion order, so re-inserting moves it to the newest end.
    this.pngs.delete(id);
    this.pngs.set(id, png);
    return png;
  }

  /** Renders every chart of a message (in parallel, each within the renderer's budget). */
  async renderMessage(message: Message): Promise<RenderedChart[]> {
    return Promise.all(chartsOf(message).map((chart) => this.renderOne(chart)));
  }

  private async renderOne(chart: ChartRef): Promise<RenderedChart> {
    const id = chartId(chart);
    const cached = this.get(id);
    if (cached) return { id, altText: chart.altText, png: cached };
    const png = await this.render(chart);
    if (png) {
      this.pngs.set(id, png);
      while (this.pngs.size > this.capacity) {
        const oldest = this.pngs.keys().next().value;
        if (oldest === undefined) break;
        this.pngs.delete(oldest);
      }
    }
    return { id, altText: chart.altText, png };
  }
}
