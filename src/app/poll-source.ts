import type { SourceDefinition } from "../catalog/catalog-schema.ts";
import { readPollOptions } from "../connectors/common/poll-options.ts";
import { withTimeout } from "../connectors/common/timeout.ts";
import type { Connector } from "../connectors/connector.ts";
import type { Db } from "../db/db.ts";
import { extendWatermarks, loadWatermarks } from "../db/kpi-watermarks-repository.ts";
import { upsertSamples } from "../db/samples-repository.ts";
import type { KpiWatermarkRow, SourceRow } from "../db/schema.ts";
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
  | {
      source: string;
      ok: true;
      samples: number;
      written: number;
      since: string;
      until: string;
      /** This poll ended an outage the admins were told about: tell them it recovered. */
      recovered: boolean;
    }
  | { source: string; ok: false; error: string; notifyAdmins: boolean }
  | { source: string; ok: false; skipped: true; error: string; retryAt: Date; notifyAdmins: false };

/** The longest wait between two tries of a failing source. */
const MAX_FAILING_WAIT_MS = 6 * 3_600_000;

/**
 * When a failing source may be tried again: after as long as it has been failing (so the gaps double),
 * at most six hours. A source that is not failing may always be polled.
 */
export function nextTryAt(row: Pick<SourceRow, "error_notified_at" | "last_error_at">): Date | null {
  if (!row.error_notified_at || !row.last_error_at) return null;
  const failingFor = row.last_error_at.getTime() - row.error_notified_at.getTime();
  return new Date(row.last_error_at.getTime() + Math.min(MAX_FAILING_WAIT_MS, failingFor));
}

/** Which days to fetch: explicit days, or the last `backfillDays` for every KPI (`clg poll --backfill 400d`). */
export interface PollRange {
  since?: string;
  until?: string;
  backfillDays?: number;
  /** Poll a failing source now instead of waiting out its backoff (an admin's `clg poll`). */
  force?: boolean;
}

/**
 * How far back a poll re-reads a KPI: the source's revision days, or longer for an activation KPI, since
 * a sign-up cohort is reported only once its `within_days` have passed.
 */
export function revisionDays(kpis: readonly KpiDefinition[], base = 3): number {
  let days = base;
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
export function readSourceSecret(row: SourceRow, secretKey: string | null): string | null {
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

const minDay = (a: string, b: string) => (a < b ? a : b);

/**
 * The first day to fetch for one KPI. A KPI never fetched from this source gets its history; one
 * fetched before re-reads its revision days and every day not yet final at the last poll.
 */
export function kpiSince(
  kpi: KpiDefinition,
  mark: KpiWatermarkRow | undefined,
  source: Pick<SourceRow, "name" | "complete_through">,
  until: string,
  options: { history_days: number; revision_days: number },
  range: PollRange,
): string {
  if (range.since) return range.since;
  if (range.backfillDays) return addDays(until, 1 - range.backfillDays);
  if (!mark || mark.source !== source.name) return addDays(until, 1 - options.history_days);
  const last = minDay(mark.fetched_until, until);
  let since = addDays(last, -revisionDays([kpi], options.revision_days));
  if (source.complete_through) since = minDay(since, addDays(source.complete_through, 1));
  return since;
}

/** KPIs grouped by their first day, so KPIs that agree (the usual case) are fetched together. */
function groupBySince(plans: readonly { kpi: KpiDefinition; since: string }[]) {
  const groups = new Map<string, KpiDefinition[]>();
  for (const { kpi, since } of plans) groups.set(since, [...(groups.get(since) ?? []), kpi]);
  return [...groups].map(([since, kpis]) => ({ since, kpis })).sort((a, b) => (a.since < b.since ? -1 : 1));
}

/**
 * Polls one source for its KPIs and stores the samples (an upsert: polling the same days twice changes
 * nothing). Each KPI has its own watermark, so a KPI new to an old source is backfilled over its history
 * while its siblings only re-read their recent days. The whole poll runs under the source's timeout. On
 * success the source records up to which day its data is final; a failure keeps every stored sample (the
 * last good data), marks the source, and says whether this is the first failure in a row (tell the admins
 * once).
 */
export async function pollSource(
  deps: PollDeps,
  catalog: WorkspaceCatalog,
  row: SourceRow,
  range: PollRange = {},
): Promise<PollOutcome> {
  const now = deps.clock.now();
  const kpis = catalog.kpis.filter((k) => k.source === row.name && k.aggregation.kind !== "formula");
  const until = range.until ?? lastCompleteDay(now, catalog.timezone);
  const retryAt = range.force ? null : nextTryAt(row);
  if (retryAt && retryAt > now) {
    const error = `still failing (${row.last_error ?? "unknown error"}); next try after ${retryAt.toISOString()}`;
    deps.logger.info({ source: row.name, retryAt }, "failing source backs off");
    return { source: row.name, ok: false, skipped: true, error, retryAt, notifyAdmins: false };
  }
  try {
    const connector = deps.connectorFor(row.kind as SourceDefinition["kind"]);
    const options = readPollOptions(row.config, connector.completeLagHours);
    const final = lastCompleteDay(
      new Date(now.getTime() - options.complete_after_hours * 3_600_000),
      catalog.timezone,
    );
    const completeThrough = minDay(final, until);
    const marks = await loadWatermarks(
      deps.db,
      catalog.workspace,
      kpis.map((k) => k.slug),
    );
    const groups = groupBySince(
      kpis.map((kpi) => ({
        kpi,
        since: kpiSince(kpi, marks.get(kpi.slug), row, until, options, range),
      })),
    );
    const secret = readSourceSecret(row, deps.secretKey);
    const source = sourceDefinition(row);
    const usable = await withTimeout(options.timeout_ms, row.name, async (signal) => {
      const out: Sample[] = [];
      for (const group of groups) {
        const samples = await connector.fetch({
          source,
          kpis: group.kpis,
          since: group.since,
          until,
          timezone: catalog.timezone,
          secret,
          fetch: deps.fetch,
          signal,
          now,
        });
        const known = new Set(group.kpis.map((k) => k.slug));
        for (const s of samples) if (known.has(s.kpi) && s.day >= group.since && s.day <= until) out.push(s);
      }
      return out;
    });
    const { written } = await upsertSamples(deps.db, catalog.workspace, usable);
    await extendWatermarks(
      deps.db,
      catalog.workspace,
      row.name,
      groups.flatMap((g) => g.kpis.map((k) => ({ kpi: k.slug, since: g.since, until }))),
    );
    const { recovered } = await recordPollSuccess(
      deps.db,
      catalog.workspace,
      row.name,
      deps.clock.now(),
      completeThrough,
    );
    const since = groups[0]?.since ?? until;
    deps.metrics?.polls.inc({ source: row.name, outcome: "ok" });
    deps.logger.info({ source: row.name, samples: usable.length, written, since, until }, "source polled");
    return { source: row.name, ok: true, samples: usable.length, written, since, until, recovered };
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
