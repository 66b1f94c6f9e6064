import { sql } from "kysely";
import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import type { Db } from "../db/db.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { upsertKpiStatus } from "../db/kpi-status-repository.ts";
import { activeMutes } from "../db/mutes-repository.ts";
import type { SubscriptionRow } from "../db/schema.ts";
import {
  insertStatusChanges,
  listStatusChangesSince,
  type StatusChangeInput,
} from "../db/status-changes-repository.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { defaultWindow, type Evaluation, type KpiDefinition, type Status, statusKey } from "../kpi/index.ts";
import { type AlertEvent, composeAlert } from "./answers/alert-message.ts";
import type { Clock } from "./clock.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";
import { buildSnapshot, evaluationOf, type Snapshot } from "./snapshot.ts";
import { inScope, kpisInScope } from "./subscription-scope.ts";
import type { WorkspaceCatalog } from "./workspace-catalog.ts";

export interface EvaluateDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  metrics?: Metrics;
}

export interface EvaluationRun {
  evaluations: number;
  changes: number;
  alertsQueued: number;
}

const REAL: ReadonlySet<Status> = new Set(["green", "amber", "red"]);
const DAY_MS = 86_400_000;
/** A forecast about the same threshold is repeated at most this often. */
const FORECAST_REPEAT_DAYS = 7;

/**
 * Which transitions people hear about: changes between real statuses, and data arriving into amber or
 * red. Source failures are told to the admins once instead, so `error` is not alerted.
 */
export function alertable(from: Status, to: Status): boolean {
  return from !== to && REAL.has(to) && (REAL.has(from) || (from === "no_data" && to !== "green"));
}

interface Event {
  def: KpiDefinition;
  evaluation: Evaluation;
  alert: AlertEvent;
  change: StatusChangeInput;
}

function statusEvents(snapshot: Snapshot): Event[] {
  const events: Event[] = [];
  for (const e of snapshot.evaluations.values()) {
    const def = snapshot.catalog.bySlug.get(e.kpi);
    if (!def || !e.transition) continue;
    events.push({
      def,
      evaluation: e,
      alert: { kind: "status", from: e.transition.from, to: e.transition.to },
      change: {
        kpi: e.kpi,
        window: e.window,
        segment: snapshot.segment,
        kind: "status",
        from_status: e.transition.from,
        to_status: e.transition.to,
        value: e.transition.value,
        detail: { why: e.diagnostic.why },
        at: new Date(e.transition.at),
      },
    });
  }
  return events;
}

async function warningEvents(db: Db, snapshot: Snapshot): Promise<Event[]> {
  const since = new Date(snapshot.now.getTime() - FORECAST_REPEAT_DAYS * DAY_MS);
  const recent = await listStatusChangesSince(db, snapshot.catalog.workspace, since);
  const seen = new Set(
    recent
      .filter((c) => c.kind !== "status")
      .map((c) => `${c.kind}|${c.kpi}|${String((c.detail as Record<string, unknown>).key)}`),
  );
  const events: Event[] = [];
  for (const def of snapshot.catalog.kpis) {
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
      at: snapshot.now,
    };
    if (e.anomaly && !seen.has(`anomaly|${def.slug}|${e.anomaly.day}`)) {
      events.push({
        def,
        evaluation: e,
        alert: { kind: "anomaly" },
        change: { ...base, kind: "anomaly", detail: { key: e.anomaly.day, ...e.anomaly } },
      });
    }
    const fkey = e.forecast ? `${e.forecast.status}:${e.forecast.threshold}` : null;
    if (e.forecast && !seen.has(`forecast|${def.slug}|${fkey}`)) {
      events.push({
        def,
        evaluation: e,
        alert: { kind: "forecast" },
        change: { ...base, kind: "forecast", detail: { key: fkey, ...e.forecast } },
      });
    }
  }
  return events;
}

interface ScopeRun {
  snapshot: Snapshot;
  events: Event[];
  ids: number[];
}

/** Evaluates one scope (the whole, or one segment), stores its statuses and records its events. */
async function evaluateScope(
  trx: Db,
  catalog: WorkspaceCatalog,
  now: Date,
  scope: { segment: string; kpis?: readonly string[] },
): Promise<ScopeRun> {
  const snapshot = await buildSnapshot(trx, catalog, {
    now,
    charts: false,
    segment: scope.segment,
    ...(scope.kpis ? { kpis: scope.kpis } : {}),
  });
  await upsertKpiStatus(
    trx,
    catalog.workspace,
    [...snapshot.evaluations.values()].map((e) => ({
      kpi: e.kpi,
      window: e.window,
      segment: scope.segment,
      status: e.state.status,
      since: new Date(e.state.since),
      pending_status: e.state.pending?.status ?? null,
      pending_count: e.state.pending?.count ?? 0,
      value: e.state.value,
      evaluated_at: now,
    })),
  );
  // Segments alert on status changes only: anomalies and forecasts on small slices are mostly noise.
  const events = [
    ...statusEvents(snapshot),
    ...(scope.segment === "" ? await warningEvents(trx, snapshot) : []),
  ];
  const ids = await insertStatusChanges(
    trx,
    catalog.workspace,
    events.map((e) => e.change),
  );
  return { snapshot, events, ids };
}

/**
 * Evaluates every KPI in every window, stores the flap-controlled statuses, records transitions,
 * anomalies and forecasts, and queues one alert per subscribed channel. Subscriptions limited to a
 * segment get that segment evaluated and alerted on its own. One workspace at a time (an advisory
 * lock), so two replicas never record the same transition twice.
 */
export async function evaluateWorkspace(
  deps: EvaluateDeps,
  catalog: WorkspaceCatalog,
): Promise<EvaluationRun> {
  const now = deps.clock.now();
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
    let queued = 0;
    for (const scope of scopes) {
      const run = await evaluateScope(trx, catalog, now, scope);
      // The run reads only what evaluation needs; an alert's trend chart reads its own KPI's history.
      const charts = new Map<string, Promise<Snapshot>>();
      const chartSnapshot = (event: Event) => {
        const key = statusKey(event.def.slug, event.evaluation.window);
        let snap = charts.get(key);
        if (!snap) {
          snap = buildSnapshot(trx, catalog, {
            kpis: [event.def.slug],
            windows: [event.evaluation.window],
            segment: scope.segment,
            now,
          });
          charts.set(key, snap);
        }
        return snap;
      };
      evaluations += run.snapshot.evaluations.size;
      changes += run.events.length;
      for (const e of run.events)
        if (e.alert.kind === "status") deps.metrics?.statusChanges.inc({ to: e.alert.to });
      for (const [i, event] of run.events.entries()) {
        const { def, evaluation, alert } = event;
        if (muted.has(def.slug) || evaluation.window !== defaultWindow(def)) continue;
        if (alert.kind === "status" && !alertable(alert.from, alert.to)) continue;
        for (const sub of bySegment.get(scope.segment) ?? []) {
          if (!inScope(def, sub.filter as SubscriptionFilter)) continue;
          const message = composeAlert(def, evaluation, alert, await chartSnapshot(event), sub.locale);
          const { created } = await enqueueDelivery(trx, {
            // Keyed by channel, not subscription: two subscriptions of one channel still get one alert.
            idempotencyKey: `alert:${catalog.workspace}:${sub.platform}:${sub.channel}:${run.ids[i]}`,
            workspace: catalog.workspace,
            platform: sub.platform,
            channel: sub.channel,
            payload: { message },
            now,
          });
          if (created) queued++;
        }
      }
    }
    deps.metrics?.evaluations.inc(evaluations);
    if (changes > 0)
      deps.logger.info({ workspace: catalog.workspace, changes, queued }, "evaluation recorded changes");
    return { evaluations, changes, alertsQueued: queued };
  });
}
