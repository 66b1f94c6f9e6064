import { z } from "zod";
import { ClgError } from "../../errors.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import { zodIssues } from "../common/config-issues.ts";
import { pollOptionsShape } from "../common/poll-options.ts";
import type { Connector, ConnectorIssue, PollRequest } from "../connector.ts";
import { dayNumber, isoDay } from "./days.ts";
import { DEMO_SERIES, DEMO_SERIES_NAMES } from "./series/index.ts";
import type { SeriesFn } from "./series/row.ts";
import { createWorld } from "./world.ts";

/** The demo source's `config` in the catalog. */
export const demoConfigSchema = z
  .object({
    /** Picks the synthetic world; the same seed always tells the same story. */
    seed: z.number().int().default(42),
    /** The last day of the story (YYYY-MM-DD). Default: the last day polled. */
    anchor: z.iso.date().optional(),
    /** How many days of history exist up to the anchor. */
    history_days: z.number().int().min(1).max(3650).default(420),
    timeout_ms: pollOptionsShape.timeout_ms,
    revision_days: pollOptionsShape.revision_days,
    complete_after_hours: pollOptionsShape.complete_after_hours,
  })
  .strict();
export type DemoConfig = z.infer<typeof demoConfigSchema>;

function failed(message: string, hint?: string): ClgError {
  return new ClgError("clg_source_failed", message, hint === undefined ? {} : { hint });
}

function parseConfig(raw: unknown): DemoConfig {
  const parsed = demoConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw failed(
    `The demo source's config is not valid: ${issue?.path.join(".") || "config"}: ${issue?.message ?? "bad value"}.`,
    "Use seed (a whole number), history_days (1-3650) and optionally anchor (YYYY-MM-DD).",
  );
}

function day(value: string, what: string): number {
  const n = dayNumber(value);
  if (n === null)
    throw failed(`The demo source was asked for ${what} "${value}", which is not a YYYY-MM-DD day.`);
  return n;
}

/** Formula KPIs have no series of their own; every other KPI must name one the demo knows. */
function seriesOf(kpi: KpiDefinition): SeriesFn | null {
  if (kpi.aggregation.kind === "formula") return null;
  const name = kpi.query.series;
  const fn = typeof name === "string" ? DEMO_SERIES[name] : undefined;
  if (fn) return fn;
  throw new ClgError(
    "clg_source_failed",
    typeof name === "string"
      ? `KPI "${kpi.slug}" asks the demo source for series "${name}", which it does not have.`
      : `KPI "${kpi.slug}" has no demo series: its query needs { series: "<name>" }.`,
    { hint: `The demo source has: ${DEMO_SERIES_NAMES.join(", ")}.`, suggestions: DEMO_SERIES_NAMES },
  );
}

/**
 * Synthetic daily samples for the default catalog: growth, weekly seasonality, noise and a few incidents
 * at the end of history. A sample depends only on the seed, its day and the anchor, so polling a range
 * twice, or a part of it, gives the same numbers. The story ends on the anchor: later days have no data.
 */
export async function pollDemo(
  request: Pick<PollRequest, "source" | "kpis" | "since" | "until">,
): Promise<Sample[]> {
  const config = parseConfig(request.source.config);
  const since = day(request.since, "since");
  const until = day(request.until, "until");
  const anchor = config.anchor === undefined ? until : day(config.anchor, "anchor");
  const first = Math.max(since, anchor - config.history_days + 1);
  const last = Math.min(until, anchor);
  const plan = request.kpis.flatMap((kpi) => {
    const fn = seriesOf(kpi);
    return fn ? [{ kpi, fn }] : [];
  });
  const world = createWorld(config.seed, anchor);
  const samples: Sample[] = [];
  for (let n = first; n <= last; n++) {
    const iso = isoDay(n);
    for (const { kpi, fn } of plan) {
      for (const row of fn(world, n, kpi)) {
        samples.push({
          kpi: kpi.slug,
          day: iso,
          segment: row.segment,
          value: row.value ?? null,
          num: row.num ?? null,
          den: row.den ?? null,
          dist: row.dist ?? null,
        });
      }
    }
  }
  return samples;
}

function validateDemo(
  source: Pick<PollRequest["source"], "config">,
  kpis: readonly KpiDefinition[],
): ConnectorIssue[] {
  const parsed = demoConfigSchema.safeParse(source.config);
  const issues = parsed.success ? [] : zodIssues(parsed.error, "source", "config");
  // A KPI without a series is only an example of its shape; one naming an unknown series is a typo.
  for (const kpi of kpis) {
    if (typeof kpi.query.series !== "string") continue;
    try {
      seriesOf(kpi);
    } catch (e) {
      issues.push({ on: { kpi: kpi.slug }, at: ["query", "series"], message: (e as Error).message });
    }
  }
  return issues;
}

/** Synthetic data is final the moment it is made. */
export const demoConnector: Connector = {
  kind: "demo",
  needsSecret: false,
  completeLagHours: 0,
  validate: validateDemo,
  fetch: pollDemo,
};
