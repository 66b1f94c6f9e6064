import { sql } from "kysely";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/db.ts";
import { upsertKpiStatus } from "../db/kpi-status-repository.ts";
import { activeMutes } from "../db/mutes-repository.ts";
import { upsertObservations } from "../db/observations-repository.ts";
import type { SubscriptionRow } from "../db/schema.ts";
import {
  claimAlertKey,
  insertStatusChanges,
  type StatusChangeInput,
} from "../db/status-changes-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { defaultWindow } from "../kpi/index.ts";
import { announceChanges, type ScopeChange, type ScopeResult, type Warning } from "./announce-incidents.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { buildSnapshot, evaluationOf, type Snapshot } from "./snapshot.ts";
import { kpisInScope } from "./subscription-scope.ts";
import type { WorkspaceCatalog } from "./workspace-catalog.ts";

export interface EvaluateDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
  /** `alertMaxAgeMs`: an alert not sent within this long is skipped, not posted late. */
  config?: Pick<Config, "alertMaxAgeMs">;
}

export interface EvaluationRun {
  evaluations: number;
  changes: number;
  alertsQueued: number;
}

const DAY_MS = 86_400_000;
/** A forecast about the same threshold is repeated at most this often. */
const FORECAST_REPEAT_DAYS = 7;

/** Stores each evaluation's state and the day's observation; records the confirmed changes. */
async function storeStatuses(trx: Db, snapshot: Snapshot, now: Date): Promise<ScopeChange[]> {
  const { catalog, segment } = snapshot;
  const evaluations = [...snapshot.evaluations.values()];
  await upsertKpiStatus(
    trx,
    catalog.workspace,
    evaluations.map((e) => ({
      kpi: e.kpi,
      window: e.window,
      segment,
      status: e.status,
      since: new Date(e.state.since),
      pending_status: e.state.pending?.status ?? null,
      pending_count: e.state.pending?.count ?? 0,
      value: e.state.value,
      evaluated_at: now,
      day: e.state.day,
      state: e.stored.state,
      base: e.stored.base,
    })),
  );
  await upsertObservations(
    trx,
    catalog.workspace,
    evaluations.map((e) => ({
      kpi: e.kpi,
      window: e.window,
      segment,
      day: e.asOf,
      value: e.value,
      observed: e.observed,
      confirmed: e.state.confirmed,
      evaluated_at: now,
    })),
  );
  const changes: StatusChangeInput[] = [];
  const alerted: ScopeChange[] = [];
  for (const e of evaluations) {
    const t = e.transition;
    const def = catalog.bySlug.get(e.kpi);
    if (!t || !def) continue;
    changes.push({
      kpi: e.kpi,
      window: e.window,
      segment,
      kind: "status",
      from_status: t.from,
      to_status: t.to,
      value: t.value,
      detail: {
        why: e.diagnostic.why,
        day: t.day,
        cause: t.cause,
        ...(t.rulesBefore ? { rulesBefore: t.rulesBefore } : {}),
      },
      at: new Date(t.at),
    });
    if (e.window === defaultWindow(def)) alerted.push({ def, transition: t });
  }
  await insertStatusChanges(trx, catalog.workspace, changes);
  return alerted;
}

/**
 * Anomalies and forecasts of the whole, each told once: the anomaly of a day never again, a forecast about
 * the same line at most once a week. A key in the database decides, not a read of recent changes.
 */
async function warnings(trx: Db, snapshot: Snapshot): Promise<Warning[]> {
  const { catalog, now } = snapshot;
  const repeatBefore = new Date(now.getTime() - FORECAST_REPEAT_DAYS * DAY_MS);
  const found: { def: Warning["def"]; change: StatusChangeInput; event: Warning["event"] }[] = [];
  for (const def of catalog.kpis) {
    const window = defaultWindow(def);
    const e = evaluationOf(snapshot, def.slug, window);
    if (!e) continue;
    const base = {
      kpi: def.slug,
      window,
      segment: "",
      from_status: null,
      to_status: null,
      value: e.value,
      at: now,
    };
    if (
      e.anomaly &&
      (await claimAlertKey(
        trx,
        catalog.workspace,
        { kind: "anomaly", kpi: def.slug, key: e.anomaly.day },
        now,
      ))
    )
      found.push({
        def,
        event: { kind: "anomaly" },
        change: { ...base, kind: "anomaly", detail: { key: e.anomaly.day, ...e.anomaly } },
      });
    const fkey = e.forecast ? `${e.forecast.status}:${e.forecast.threshold}` : null;
    if (
      e.forecast &&
      fkey &&
      (await claimAlertKey(
        trx,
        catalog.workspace,
        { kind: "forecast", kpi: def.slug, key: fkey },
        now,
        repeatBefore,
      ))
    )
      found.push({
        def,
        event: { kind: "forecast" },
        change: { ...base, kind: "forecast", detail: { key: fkey, ...e.forecast } },
      });
  }
  const ids = await insertStatusChanges(
    trx,
    catalog.workspace,
    found.map((f) => f.change),
  );
  return found.map((f, i) => ({ def: f.def, event: f.event, changeId: ids[i] as number }));
}

/**
 * Evaluates every KPI in every window for the latest complete data day, stores the status machine's
 * states and the day's observations, records confirmed changes, anomalies and forecasts, keeps incidents,
 * and tells each subscribed channel what it has not yet heard (one post per channel and run). Subscriptions
 * limited to a segment get that segment evaluated and alerted on its own. One workspace at a time (an
 * advisory lock); a second run on the same data day changes nothing.
 */
export async function evaluateWorkspace(
  deps: EvaluateDeps,
  catalog: WorkspaceCatalog,
): Promise<EvaluationRun> {
  const now = deps.clock.now();
  const timer = deps.metrics?.evaluationSeconds.startTimer();
  return deps.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`clg:evaluate:${catalog.workspace}`}))`.execute(trx);
    const subs = await listSubscriptions(trx, catalog.workspace, { kind: "alerts" });
    const muted = new Set((await activeMutes(trx, catalog.workspace, now)).map((m) => m.kpi));
    const bySegment = new Map<string, SubscriptionRow[]>();
    for (const sub of subs) {
      const segment = (sub.filter as SubscriptionFilter).segment ?? "";
      bySegment.set(segment, [...(bySegment.get(segment) ?? []), sub]);
    }
    const scopes: { segment: string; kpis?: string[] }[] = [{ segment: "" }];
    for (const [segment, segmentSubs] of bySegment) {
      if (segment === "") continue;
      const kpis = catalog.kpis
        .filter((k) => segmentSubs.some((s) => kpisInScope([k], s.filter as SubscriptionFilter).length > 0))
        .map((k) => k.slug);
      if (kpis.length > 0) scopes.push({ segment, kpis });
    }

    let evaluations = 0;
    let changes = 0;
    const results: ScopeResult[] = [];
    for (const scope of scopes) {
      const snapshot = await buildSnapshot(trx, catalog, {
        now,
        charts: false,
        segment: scope.segment,
        ...(scope.kpis ? { kpis: scope.kpis } : {}),
      });
      const scopeChanges = await storeStatuses(trx, snapshot, now);
      // Segments alert on status changes only: anomalies and forecasts on small slices are mostly noise.
      const scopeWarnings = scope.segment === "" ? await warnings(trx, snapshot) : [];
      evaluations += snapshot.evaluations.size;
      changes += scopeChanges.length + scopeWarnings.length;
      for (const c of scopeChanges) deps.metrics?.statusChanges.inc({ to: c.transition.to });
      results.push({ segment: scope.segment, snapshot, changes: scopeChanges, warnings: scopeWarnings });
    }
    const queued = await announceChanges(trx, catalog, results, bySegment, muted, now, {
      ...(deps.config ? { maxAgeMs: deps.config.alertMaxAgeMs } : {}),
    });
    deps.metrics?.evaluations.inc(evaluations);
    timer?.();
    if (changes > 0 || queued > 0)
      deps.logger.info({ workspace: catalog.workspace, changes, queued }, "evaluation recorded changes");
    return { evaluations, changes, alertsQueued: queued };
  });
}
