import type { SourceDefinition } from "../catalog/catalog-schema.ts";
import { readPollOptions } from "../connectors/common/poll-options.ts";
import { testSource } from "../connectors/test-source.ts";
import { listSources } from "../db/sources-repository.ts";
import { ClgError, isClgError } from "../errors.ts";
import { lastCompleteDay } from "../kpi/index.ts";
import type { TaskOutput } from "./admin-tasks.ts";
import { readSourceSecret, sourceDefinition } from "./poll-source.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog } from "./workspace-catalog.ts";

/** Days each KPI is tried over. */
const TEST_DAYS = 3;

/**
 * `clg sources test SOURCE`: fetches each of the source's KPIs alone over its last days, stores nothing,
 * and says per KPI whether it worked (how many samples, up to which day) or the connector's exact words.
 */
export async function testSourceTask(rt: Runtime, name: string): Promise<TaskOutput> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const all = await listSources(rt.db, rt.config.workspace);
  const row = all.find((s) => s.name === name);
  if (!row) {
    throw new ClgError("clg_not_found", `No source "${name}".`, {
      hint:
        all.length > 0
          ? `Sources: ${all.map((s) => s.name).join(", ")}.`
          : "No source is configured; add one to the catalog.",
    });
  }
  const kpis = catalog.kpis.filter((k) => k.source === row.name && k.aggregation.kind !== "formula");
  const until = lastCompleteDay(rt.pollDeps.clock.now(), catalog.timezone);
  const head = `${row.name} (${row.kind}): each KPI over ${TEST_DAYS} days through ${until}`;
  if (kpis.length === 0) return { text: `${head}\nno KPI reads this source`, failed: false };
  let secret: string | null;
  const connector = rt.pollDeps.connectorFor(row.kind as SourceDefinition["kind"]);
  try {
    secret = readSourceSecret(row, rt.pollDeps.secretKey);
  } catch (e) {
    if (!isClgError(e)) throw e;
    return { text: `${head}\nFAILED: ${e.message}${e.hint ? `\n  ${e.hint}` : ""}`, failed: true };
  }
  const options = readPollOptions(row.config, connector.completeLagHours);
  const results = await testSource(
    connector,
    {
      source: sourceDefinition(row),
      kpis,
      until,
      timezone: catalog.timezone,
      secret,
      fetch: rt.pollDeps.fetch,
      now: rt.pollDeps.clock.now(),
    },
    TEST_DAYS,
    options.timeout_ms,
  );
  const lines = results.map((r) =>
    r.ok
      ? `  ${r.kpi}: ok · ${r.samples} sample${r.samples === 1 ? "" : "s"} · last day ${r.lastDay ?? "none"}`
      : `  ${r.kpi}: FAILED: ${r.error}`,
  );
  const failures = results.filter((r) => !r.ok).length;
  lines.push(
    failures === 0 ? `all ${results.length} KPIs work` : `${failures} of ${results.length} KPIs failed`,
  );
  return { text: [head, ...lines].join("\n"), failed: failures > 0 };
}
