import type { SourceDefinition } from "../catalog/catalog-schema.ts";
import type { Connector } from "../connectors/connector.ts";
import type { Db } from "../db/db.ts";
import { latestSampleDay, upsertSamples } from "../db/samples-repository.ts";
import type { SourceRow } from "../db/schema.ts";
import { openSourceSecret, recordPollFailure, recordPollSuccess } from "../db/sources-repository.ts";
import { ClgError, isClgError } from "../errors.ts";
import {
  addDays,
  type KpiDefinition,
  lastCompleteDay,
  readActivationRule,
  type Sample,
} from "../kpi/index.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import type { WorkspaceCatalog } from "./workspace-catalog.ts";

export interface PollDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  connectorFor: (kind: SourceDefinition["kind"]) => Connector;
  fetch: typeof fetch;
  secretKey: string | null;
}

export type PollOutcome =
  | { source: string; ok: true; samples: number; written: number; since: string; until: string }
  | { source: string; ok: false; error: string; notifyAdmins: boolean };

/** Days re-read on every poll: sources revise recent days (late events, refunds). */
const REVISION_DAYS = 3;

/**
 * How far back a poll re-reads: the revision days, or longer when an activation KPI is on the source,
 * since a sign-up cohort is reported only once its `within_days` have passed.
 */
export function revisionDays(kpis: readonly KpiDefinition[]): number {
  let days = REVISION_DAYS;
  for (const k of kpis) {
    if (k.query.activation === undefined) continue;
    try {
      days = Math.max(days, readActivationRule(k.query.activation).within_days + 1);
    } catch {
      // An invalid rule is reported by the connector when it polls that KPI.
    }
  }
  return days;
}
/** History fetched the first time a source is polled, unless its config says `history_days`. */
const DEFAULT_BACKFILL_DAYS = 90;

export function sourceDefinition(row: SourceRow): SourceDefinition {
  return {
    name: row.name,
    kind: row.kind as SourceDefinition["kind"],
    schedule: row.schedule,
    config: row.config,
    ...(row.secret_env ? { secret_env: row.secret_env } : {}),
  };
}

/**
 * The source's decrypted secret, or null when none is stored. A stored secret with no CLG_SECRET_KEY now
 * is said as such: the key is missing at poll time, not when the catalog was applied.
 */
function readSecret(row: SourceRow, secretKey: string | null): string | null {
  if (row.secret_ciphertext === null) return null;
  if (!secretKey) {
    throw new ClgError(
      "clg_config_invalid",
      `Source "${row.name}" has its secret${row.secret_env ? ` (${row.secret_env})` : ""} stored encrypted, but CLG_SECRET_KEY is not set now, so it cannot be decrypted.`,
      {
        hint: "Set CLG_SECRET_KEY to the key that was set when the catalog was applied, and restart the service.",
      },
    );
  }
  return openSourceSecret(row, secretKey) ?? null;
}

/** Plain words for the admins: never a stack, never a secret. */
function describe(error: unknown): string {
  if (isClgError(error)) return error.message;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Polls one source for its KPIs and stores the samples. A failure keeps every stored sample (the last
 * good data), marks the source, and says whether this is the first failure in a row (tell the admins once).
 */
export async function pollSource(
  deps: PollDeps,
  catalog: WorkspaceCatalog,
  row: SourceRow,
  range: { since?: string; until?: string } = {},
): Promise<PollOutcome> {
  const now = deps.clock.now();
  const kpis = catalog.kpis.filter((k) => k.source === row.name && k.aggregation.kind !== "formula");
  const until = range.until ?? lastCompleteDay(now, catalog.timezone);
  try {
    const latest = await latestSampleDay(
      deps.db,
      catalog.workspace,
      kpis.map((k) => k.slug),
    );
    const backfill = Number(row.config.history_days ?? DEFAULT_BACKFILL_DAYS);
    // Re-read the last few stored days (sources revise them); a source never polled gets its backfill.
    const resumeFrom = latest === null ? null : latest < until ? latest : until;
    const since =
      range.since ?? (resumeFrom ? addDays(resumeFrom, -revisionDays(kpis)) : addDays(until, 1 - backfill));
    const secret = readSecret(row, deps.secretKey);
    const samples: Sample[] = await deps.connectorFor(row.kind as SourceDefinition["kind"]).poll({
      source: sourceDefinition(row),
      kpis,
      since,
      until,
      timezone: catalog.timezone,
      secret,
      fetch: deps.fetch,
    });
    const known = new Set(kpis.map((k) => k.slug));
    const usable = samples.filter((s) => known.has(s.kpi) && s.day >= since && s.day <= until);
    const { written } = await upsertSamples(deps.db, catalog.workspace, usable);
    await recordPollSuccess(deps.db, catalog.workspace, row.name, deps.clock.now());
    deps.metrics?.polls.inc({ source: row.name, outcome: "ok" });
    deps.logger.info({ source: row.name, samples: usable.length, written, since, until }, "source polled");
    return { source: row.name, ok: true, samples: usable.length, written, since, until };
  } catch (error) {
    const message = describe(error);
    const { notifyAdmins } = await recordPollFailure(
      deps.db,
      catalog.workspace,
      row.name,
      message,
      deps.clock.now(),
    );
    deps.metrics?.polls.inc({ source: row.name, outcome: "error" });
    deps.logger.warn({ source: row.name, error: message }, "source poll failed; keeping the last good data");
    return { source: row.name, ok: false, error: message, notifyAdmins };
  }
}
