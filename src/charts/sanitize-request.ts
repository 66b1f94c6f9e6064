import { z } from "zod";
import { ClgError } from "../errors.ts";
import { stageSchema } from "../kpi/stage.ts";
import { statusSchema } from "../kpi/status.ts";
import type { ChartRequest } from "./chart-request.ts";

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
const point = z.object({ day, value: finiteOrNull });

/** Limits keep a hostile or buggy request from asking for a huge image; they are far above real use. */
export const CHART_LIMITS = { points: 800, bands: 12, cells: 7, buckets: 110, bars: 40 } as const;

export const chartRequestSchema = z.discriminatedUnion("template", [
  z.object({
    template: z.literal("trend"),
    title,
    caption: text(160).optional(),
    unit: text(60),
    points: z.array(point).max(CHART_LIMITS.points),
    previous: z.array(point).max(CHART_LIMITS.points).optional(),
    bands: z
      .array(z.object({ from: finiteOrNull, to: finiteOrNull, status: z.enum(["green", "amber", "red"]) }))
      .max(CHART_LIMITS.bands)
      .optional(),
    target: finiteOrNull.optional(),
    targetLabel: label.optional(),
    status: statusSchema,
    latestLabel: label.optional(),
  }),
  z.object({
    template: z.literal("board"),
    title,
    cells: z
      .array(
        z.object({ stage: stageSchema, label, kpi: label, value: label, delta: label, status: statusSchema }),
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

/** Validates a request at the rendering boundary; an unusable one is refused with a reason a person can act on. */
export function sanitizeChartRequest(request: unknown): ChartRequest {
  const parsed = chartRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join(".") || "request";
    throw new ClgError(
      "clg_chart_failed",
      `This chart cannot be drawn: ${where} is ${issue?.message ?? "invalid"}.`,
      {
        hint: "The answer is sent as text; narrow the window or the breakdown to get a chart.",
        cause: parsed.error,
      },
    );
  }
  return parsed.data satisfies ChartRequest;
}

export const SCALE_RANGE = { min: 1, max: 3 } as const;

export function checkScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < SCALE_RANGE.min || scale > SCALE_RANGE.max) {
    throw new ClgError("clg_chart_failed", `A chart scale of ${scale} is not supported.`, {
      hint: `Use a scale from ${SCALE_RANGE.min} to ${SCALE_RANGE.max} (2 for high-density screens).`,
    });
  }
  return scale;
}
