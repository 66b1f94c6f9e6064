import {
  type Evaluation,
  type KpiDefinition,
  STATUS_SEVERITY,
  type Status,
  statusMark,
} from "../../kpi/index.ts";
import { formatBound } from "../../messages/format.ts";
import type { KpiRow } from "../../messages/message.ts";
import { anomalyText, forecastText, pacingText } from "./kpi-row.ts";

/** One KPI as the digest sees it: its definition, its row at the default window, its evaluation. */
export interface DigestKpi {
  def: KpiDefinition;
  row: KpiRow;
  evaluation: Evaluation;
  /** The worst segment of a breakdown, when the KPI has one: "owner Marcus Webb 12.7%". */
  worstSegment: string | null;
  /** The last status change this week at this window, if any. */
  change: { from: Status; to: Status; day: string } | null;
}

export interface DigestFacts {
  /** "3 red · 2 amber · 18 green · 5 no status; Activation rate fell below 50%". */
  summary: string;
  attention: string[];
  recovered: string[];
  movers: string[];
  warnings: string[];
  behind: string[];
}

/** Relative moves smaller than this are noise in a weekly read. */
const MOVER_MIN_PCT = 5;
const MOVERS = 3;
const COUNT_ORDER = ["red", "amber", "green", "none", "no_data", "error"] as const;

function bucket(row: KpiRow): (typeof COUNT_ORDER)[number] {
  return row.status === "green" && !row.rated ? "none" : row.status;
}

/** "fell below 50%" / "is above 3.5%": the rule a red or amber KPI matched, in words. */
function ruleWords(k: DigestKpi, locale: string): string | null {
  const rule = k.evaluation.diagnostic.rule;
  if (!rule) return null;
  const justNow = k.change !== null && k.change.to === k.row.status;
  const below = rule.below !== undefined;
  const verb = below ? (justNow ? "fell below" : "is below") : justNow ? "rose above" : "is above";
  return `${verb} ${formatBound(k.def, (below ? rule.below : rule.above) as number, locale)}`;
}

/**
 * What a digest says, each fact once: the count line with the headline, every KPI that is not green
 * (with its worst segment), what recovered, the biggest movers among the rest, early warnings and what
 * is behind target.
 */
export function digestFacts(kpis: readonly DigestKpi[], locale: string): DigestFacts {
  const counts = new Map<string, number>();
  for (const k of kpis) counts.set(bucket(k.row), (counts.get(bucket(k.row)) ?? 0) + 1);
  const countText = COUNT_ORDER.filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${s === "none" ? "no status" : statusMark(s).label}`)
    .join(" · ");

  const flagged = kpis
    .filter((k) => k.row.status !== "green")
    .sort((a, b) => STATUS_SEVERITY[b.row.status] - STATUS_SEVERITY[a.row.status]);
  // Red and amber first (what the thresholds say), then what cannot be read (no data, source error).
  const order = (s: Status) => (s === "red" ? 0 : s === "amber" ? 1 : s === "error" ? 2 : 3);
  flagged.sort((a, b) => order(a.row.status) - order(b.row.status));

  const headline = flagged.find((k) => k.row.status === "red" || k.row.status === "amber");
  const headWords = headline ? ruleWords(headline, locale) : null;
  const summary = `${countText || "no KPIs"}${headline && headWords ? `; ${headline.def.name} ${headWords}` : ""}`;

  const attention = flagged.map((k) => {
    const mark = statusMark(k.row.status, k.row.rated);
    const words = ruleWords(k, locale);
    const parts = [
      `${mark.symbol} **${k.def.name}** ${k.row.formatted} (${k.row.window}, ${mark.label}${words ? `: ${words}` : ""})`,
    ];
    if (k.worstSegment) parts.push(`worst ${k.worstSegment}`);
    if (k.change && k.change.to === k.row.status) parts.push(`since ${k.change.day}`);
    return parts.join(" · ");
  });

  const recovered = kpis
    .filter((k) => k.change?.to === "green" && k.row.status === "green")
    .map(
      (k) =>
        `${k.def.name} (${k.row.window}): ${statusMark(k.change?.from ?? "no_data").label} → green on ${k.change?.day}`,
    );

  const flaggedSlugs = new Set(flagged.map((k) => k.def.slug));
  const movers = kpis
    .filter((k) => !flaggedSlugs.has(k.def.slug) && k.row.deltaGood !== null && k.row.delta !== null)
    .map((k) => ({ k, size: Math.abs(k.evaluation.delta?.relative ?? 0) }))
    .filter((m) => m.size >= MOVER_MIN_PCT)
    .sort((a, b) => b.size - a.size)
    .slice(0, MOVERS)
    .map(({ k }) => `${k.def.name} ${k.row.formatted}, ${k.row.delta}`);

  const warnings: string[] = [];
  const behind: string[] = [];
  for (const k of kpis) {
    const e = k.evaluation;
    if (e.anomaly) warnings.push(`${k.def.name}: ${anomalyText(k.def, e)}`);
    if (e.forecast) warnings.push(`${k.def.name}: ${forecastText(k.def, e)}`);
    if (e.pacing?.status === "behind") behind.push(`${k.def.name}: ${pacingText(k.def, e.pacing)}`);
  }
  return { summary, attention, recovered, movers, warnings, behind };
}
