import { z } from "zod";
import { stageSchema } from "../kpi/stage.ts";
import { statusSchema } from "../kpi/status.ts";

/** NaN and ±Infinity become a gap (null) instead of reaching a spec. */
const finiteOrNull = z.preprocess(
  (v) => (typeof v === "number" && !Number.isFinite(v) ? null : v),
  z.number().nullable(),
);
/** Where a number is required, a non-finite one counts as zero. */
const finiteOrZero = z.preprocess((v) => (typeof v === "number" && !Number.isFinite(v) ? 0 : v), z.number());

const text = (max: number) => z.string().max(max, `longer than ${max} characters`);
const title = text(200);
const label = text(120);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}/, "not a YYYY-MM-DD day");
/** One point of a daily series; null is a day without data. */
const point = z.object({ day, value: finiteOrNull });
const bandSchema = z.object({
  from: finiteOrNull,
  to: finiteOrNull,
  status: z.enum(["green", "amber", "red"]),
});

/** Limits keep a hostile or buggy request from asking for a huge image; they are far above real use. */
export const CHART_LIMITS = { points: 800, bands: 12, cells: 7, buckets: 110, bars: 40 } as const;

export const chartRequestSchema = z.discriminatedUnion("template", [
  z.object({
    template: z.literal("trend"),
    title,
    /** What each point is and which days are shown, e.g. "rolling 7-day value, last 7 days". */
    caption: text(160).optional(),
    unit: text(60),
    points: z.array(point).max(CHART_LIMITS.points),
    /** The previous period, aligned to the same x positions, drawn faded. */
    previous: z.array(point).max(CHART_LIMITS.points).optional(),
    /** Value ranges painted behind the line in their status colour. */
    bands: z.array(bandSchema).max(CHART_LIMITS.bands).optional(),
    target: finiteOrNull.optional(),
    /** How the target line is labelled, e.g. "month target 1,950"; default "target <value>". */
    targetLabel: label.optional(),
    status: statusSchema,
    /** False when the KPI has no thresholds for this window: its status shows as neutral "no status". */
    rated: z.boolean().optional(),
    /** Label for the last value, e.g. "46.2%". */
    latestLabel: label.optional(),
  }),
  z.object({
    template: z.literal("board"),
    title,
    cells: z
      .array(
        z.object({
          stage: stageSchema,
          label,
          kpi: label,
          value: label,
          delta: label,
          status: statusSchema,
          rated: z.boolean().optional(),
        }),
      )
      .max(CHART_LIMITS.cells),
  }),
  z.object({
    template: z.literal("nps"),
    title,
    buckets: z.array(z.object({ score: finiteOrZero, count: finiteOrZero })).max(CHART_LIMITS.buckets),
    nps: finiteOrNull,
  }),
  z.object({
    template: z.literal("breakdown"),
    title,
    unit: text(60),
    bars: z
      .array(
        z.object({
          label,
          value: finiteOrNull,
          formatted: label,
          status: statusSchema,
          delta: label.nullable(),
        }),
      )
      .max(CHART_LIMITS.bars),
  }),
]);

/**
 * What a message asks to be drawn. Platform-neutral data; `src/charts` turns it into a Vega-Lite spec and a PNG.
 * The renderer parses it with this schema, so NaN / Infinity become gaps and absurd sizes are refused.
 */
export type ChartRequest = z.infer<typeof chartRequestSchema>;
export type ChartTemplate = ChartRequest["template"];
export type SeriesPoint = z.infer<typeof point>;
/** A value range painted behind a trend line in its status colour. */
export type StatusBand = z.infer<typeof bandSchema>;

/** A chart attached to a message: what to draw plus the one-sentence alt text chat platforms show. */
export interface ChartRef {
  request: ChartRequest;
  altText: string;
}
