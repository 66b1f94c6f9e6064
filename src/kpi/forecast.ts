import type { DayValue } from "./anomaly.ts";
import type { KpiDefinition, ThresholdRule } from "./definition.ts";
import { median, medianAbsoluteDeviation } from "./robust-stats.ts";
import { STATUS_SEVERITY } from "./status.ts";
import { ruleMatches, rulesFor } from "./thresholds.ts";

export interface Forecast {
  /** The boundary the projected line crosses (the rule's `below` or `above`). */
  threshold: number;
  status: "red" | "amber";
  /** Days from the last point until the projection first falls into that rule. */
  days: number;
  slopePerDay: number;
}

export interface TrendFit {
  slope: number;
  intercept: number;
  /** 1 - (MAD of residuals / MAD of values)^2: near 1 for a clean line, near 0 for noise. */
  robustR2: number;
  points: number;
  /** Absolute median of the values: the scale a slope is judged against. */
  level: number;
}

const MIN_POINTS = 7;
const MIN_R2 = 0.5;
/** The projected move over the horizon must be at least this share of the level to count as a trend. */
const MIN_RELATIVE_MOVE = 0.01;

const fits = new WeakMap<readonly DayValue[], TrendFit | null>();

/**
 * Theil-Sen line through the non-null points (x = position in the series). Null with under 7 points.
 * Remembered per series array, since one series is judged against several windows' thresholds.
 */
export function theilSen(series: readonly DayValue[]): TrendFit | null {
  let fit = fits.get(series);
  if (fit === undefined) {
    fit = fitLine(series);
    fits.set(series, fit);
  }
  return fit;
}

function fitLine(series: readonly DayValue[]): TrendFit | null {
  const xs: number[] = [];
  const ys: number[] = [];
  series.forEach((p, i) => {
    if (p.value !== null && Number.isFinite(p.value)) {
      xs.push(i);
      ys.push(p.value);
    }
  });
  const n = xs.length;
  if (n < MIN_POINTS) return null;
  const slopes = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++)
      slopes[k++] = ((ys[j] as number) - (ys[i] as number)) / ((xs[j] as number) - (xs[i] as number));
  }
  const slope = median(slopes);
  const intercept = median(ys.map((y, i) => y - slope * (xs[i] as number)));
  const madY = medianAbsoluteDeviation(ys);
  const madR = medianAbsoluteDeviation(ys.map((y, i) => y - (intercept + slope * (xs[i] as number))));
  const robustR2 = madY === 0 ? 0 : 1 - (madR / madY) ** 2;
  return { slope, intercept, robustR2, points: n, level: Math.abs(median(ys)) };
}

function statusOf(
  rules: readonly ThresholdRule[],
  value: number,
): { severity: number; rule: ThresholdRule | null } {
  for (const r of rules) if (ruleMatches(r, value)) return { severity: STATUS_SEVERITY[r.status], rule: r };
  return { severity: 0, rule: null };
}

/**
 * When the trend of a daily series (oldest first, last point = the evaluation day) will carry the KPI into
 * a worse threshold rule within `horizonDays`. `current` is the value the status is judged on now (the
 * fitted line's last point when null). Null when the series is flat, the fit is poor, the move is tiny,
 * the KPI is already in the worst rule it could reach, or it is moving away from the thresholds. A line
 * is never forecast to cross where the data already is: when the series' last value, its fitted end or
 * `current` is past a rule, nothing is said about reaching that rule.
 */
export function forecastCrossing(
  def: Pick<KpiDefinition, "thresholds">,
  window: string,
  series: readonly DayValue[],
  current: number | null,
  horizonDays: number,
): Forecast | null {
  const rules = rulesFor(def, window).filter((r) => r.status !== "green");
  if (rules.length === 0) return null;
  const fit = theilSen(series);
  if (!fit || fit.slope === 0 || fit.robustR2 < MIN_R2) return null;
  const fittedLast = fit.intercept + fit.slope * (series.length - 1);
  if (Math.abs(fit.slope) * horizonDays < MIN_RELATIVE_MOVE * fit.level) return null;
  let lastSeen: number | null = null;
  for (let i = series.length - 1; i >= 0 && lastSeen === null; i--) {
    const v = (series[i] as DayValue).value;
    if (v !== null && Number.isFinite(v)) lastSeen = v;
  }
  const now = Math.max(
    statusOf(rules, current ?? fittedLast).severity,
    statusOf(rules, fittedLast).severity,
    lastSeen === null ? 0 : statusOf(rules, lastSeen).severity,
  );
  for (let d = 1; d <= horizonDays; d++) {
    const { severity, rule } = statusOf(rules, fittedLast + fit.slope * d);
    if (rule && severity > now) {
      return {
        threshold: (rule.below ?? rule.above) as number,
        status: rule.status as "red" | "amber",
        days: d,
        slopePerDay: fit.slope,
      };
    }
  }
  return null;
}
