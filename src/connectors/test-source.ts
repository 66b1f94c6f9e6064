import { isClgError } from "../errors.ts";
import { addDays } from "../kpi/days.ts";
import type { Connector, PollRequest } from "./connector.ts";

export type KpiTestResult =
  | { kpi: string; ok: true; samples: number }
  | { kpi: string; ok: false; error: string };

/**
 * Tries a source before trusting it: each KPI is fetched alone over its last `days` days, so bad
 * credentials show on every KPI and a bad query only on its own, each with the connector's exact words.
 */
export async function testSource(
  connector: Connector,
  request: Omit<PollRequest, "since">,
  days = 3,
): Promise<KpiTestResult[]> {
  const since = addDays(request.until, 1 - days);
  const results: KpiTestResult[] = [];
  for (const kpi of request.kpis) {
    if (kpi.aggregation.kind === "formula") continue;
    try {
      const samples = await connector.fetch({ ...request, kpis: [kpi], since });
      results.push({ kpi: kpi.slug, ok: true, samples: samples.length });
    } catch (e) {
      results.push({
        kpi: kpi.slug,
        ok: false,
        error: isClgError(e) || e instanceof Error ? e.message : String(e),
      });
    }
  }
  return results;
}
