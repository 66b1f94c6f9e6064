import { isClgError } from "../errors.ts";
import { addDays } from "../kpi/days.ts";
import { withTimeout } from "./common/timeout.ts";
import type { Connector, PollRequest } from "./connector.ts";

export type KpiTestResult =
  | { kpi: string; ok: true; samples: number; lastDay: string | null }
  | { kpi: string; ok: false; error: string };

/**
 * Tries a source before trusting it: each KPI is fetched alone over its last `days` days (each under the
 * source's timeout when one is given), so bad credentials show on every KPI and a bad query only on its
 * own, each with the connector's exact words. Nothing is stored.
 */
export async function testSource(
  connector: Connector,
  request: Omit<PollRequest, "since" | "signal">,
  days = 3,
  timeoutMs?: number,
): Promise<KpiTestResult[]> {
  const since = addDays(request.until, 1 - days);
  // One signal for the whole test, as in a poll, so a connector that reads its data once per poll
  // (Stripe lists every subscription) does so once here too; it is aborted when the test ends.
  const shared = new AbortController();
  const results: KpiTestResult[] = [];
  try {
    for (const kpi of request.kpis) {
      if (kpi.aggregation.kind === "formula") continue;
      try {
        const fetchKpi = () => connector.fetch({ ...request, kpis: [kpi], since, signal: shared.signal });
        const all =
          timeoutMs === undefined
            ? await fetchKpi()
            : await withTimeout(timeoutMs, request.source.name, fetchKpi);
        const samples = all.filter((s) => s.kpi === kpi.slug && s.day >= since && s.day <= request.until);
        const lastDay = samples.reduce<string | null>((m, s) => (m === null || s.day > m ? s.day : m), null);
        results.push({ kpi: kpi.slug, ok: true, samples: samples.length, lastDay });
      } catch (e) {
        results.push({
          kpi: kpi.slug,
          ok: false,
          error: isClgError(e) || e instanceof Error ? e.message : String(e),
        });
      }
    }
  } finally {
    shared.abort();
  }
  return results;
}
