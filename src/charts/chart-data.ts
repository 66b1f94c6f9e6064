import type { ChartRequest, ChartTemplate } from "./chart-request.ts";
import { breakdownData, npsData } from "./data/distribution-data.ts";
import { trendData } from "./data/series-data.ts";
import { boardData } from "./data/stage-data.ts";

export type TemplateName = ChartTemplate | "empty";
export type Row = Record<string, string | number | null>;

/** What a template is filled with: named datasets and parameter values. Only this changes per render. */
export interface ChartData {
  template: TemplateName;
  datasets: Record<string, Row[]>;
  signals: Record<string, string | number>;
  /** Overrides of the template's width / height (the empty chart takes the size of the chart it replaces). */
  size?: { width: number; height: number };
}

export const NO_DATA_MESSAGE = "No data for this window";

/** Turns a (sanitised) request into template data; an empty request becomes the "no data" chart. */
export function chartData(request: ChartRequest): ChartData {
  switch (request.template) {
    case "trend":
      return trendData(request) ?? emptyData(request.title, "trend");
    case "board":
      return boardData(request) ?? emptyData(request.title, "board");
    case "nps":
      return npsData(request) ?? emptyData(request.title, "nps");
    case "breakdown":
      return breakdownData(request) ?? emptyData(request.title, "breakdown");
  }
}

const EMPTY_SIZE: Record<ChartTemplate, { width: number; height: number; messageSize: number }> = {
  trend: { width: 520, height: 120, messageSize: 14 },
  board: { width: 960, height: 90, messageSize: 14 },
  nps: { width: 520, height: 90, messageSize: 14 },
  breakdown: { width: 520, height: 90, messageSize: 14 },
};

export function emptyData(title: string, replacing: ChartTemplate): ChartData {
  const { width, height, messageSize } = EMPTY_SIZE[replacing];
  return {
    template: "empty",
    datasets: { message: [{ text: NO_DATA_MESSAGE }] },
    signals: { chartTitle: title, messageSize },
    size: { width, height },
  };
}
