import { ClgError } from "../errors.ts";
import { type ChartRequest, chartRequestSchema } from "./chart-request.ts";

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
