import { evaluateCatalog } from "../src/kpi/evaluate-catalog.ts";
import { buildSeriesIndex, type SeriesIndex } from "../src/kpi/series-index.ts";
import { AS_OF, NOW, random, samplesFor, syntheticKpis, TIMEZONE } from "./synthetic-kpis.ts";

/**
 * Evaluate `kpiCount` synthetic KPIs (two years of daily samples, every aggregation kind, six windows
 * each) with statuses, pacing, anomalies and forecasts. `ms` times evaluateCatalog only; building the
 * indexes is reported apart as `indexMs` (generating the synthetic samples is in neither).
 */
export async function runEvaluateBench(
  kpiCount: number,
): Promise<{ ms: number; indexMs: number; evaluations: number }> {
  const defs = syntheticKpis(kpiCount);
  const rnd = random(42);
  const indexes = new Map<string, SeriesIndex>();
  let indexMs = 0;
  for (const def of defs) {
    if (def.aggregation.kind === "formula") continue;
    const samples = samplesFor(def, rnd); // generating the data is not part of the figure
    const started = performance.now();
    indexes.set(def.slug, buildSeriesIndex(samples));
    indexMs += performance.now() - started;
  }
  const t1 = performance.now();
  const evaluations = evaluateCatalog({
    defs,
    indexes,
    asOf: AS_OF,
    timezone: TIMEZONE,
    now: NOW,
  });
  const t2 = performance.now();
  return { ms: Math.round(t2 - t1), indexMs: Math.round(indexMs), evaluations: evaluations.length };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const n of [1_000, 10_000]) console.log(n, await runEvaluateBench(n));
}
