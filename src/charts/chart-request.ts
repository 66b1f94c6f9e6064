import type { Stage } from "../kpi/stage.ts";
import type { Status } from "../kpi/status.ts";

/** One point of a daily series; null is a day without data. */
export interface SeriesPoint {
  day: string;
  value: number | null;
}

/** A value range painted behind a trend line in its status colour. */
export interface StatusBand {
  from: number | null;
  to: number | null;
  status: "green" | "amber" | "red";
}

/**
 * What a message asks to be drawn. Platform-neutral data; `src/charts` turns it into a Vega-Lite spec and a PNG.
 * Values are already finite numbers or null (NaN / Infinity never get here).
 */
export type ChartRequest =
  | {
      template: "trend";
      title: string;
      /** What each point is and which days are shown, e.g. "rolling 7-day value, last 7 days". */
      caption?: string;
      unit: string;
      points: SeriesPoint[];
      /** The previous window, aligned to the same x positions, drawn faded. */
      previous?: SeriesPoint[];
      bands?: StatusBand[];
      target?: number | null;
      /** How the target line is labelled, e.g. "month target $60k"; default "target <value>". */
      targetLabel?: string;
      status: Status;
      /** Label for the last value, e.g. "46.2%". */
      latestLabel?: string;
    }
  | {
      template: "board";
      title: string;
      cells: { stage: Stage; label: string; kpi: string; value: string; delta: string; status: Status }[];
    }
  | { template: "nps"; title: string; buckets: { score: number; count: number }[]; nps: number | null }
  | {
      template: "breakdown";
      title: string;
      unit: string;
      bars: {
        label: string;
        value: number | null;
        formatted: string;
        status: Status;
        delta: string | null;
      }[];
    };

export type ChartTemplate = ChartRequest["template"];

/** A chart attached to a message: what to draw plus the one-sentence alt text chat platforms show. */
export interface ChartRef {
  request: ChartRequest;
  altText: string;
}
