import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import type { Db } from "../db/db.ts";
import {
  insertNotice,
  latestNotices,
  listIncidentsToTell,
  recordIncidentChange,
} from "../db/incidents-repository.ts";
import type { IncidentNoticeRow, IncidentRow, SubscriptionRow } from "../db/schema.ts";
import {
  defaultWindow,
  type Evaluation,
  type KpiDefinition,
  type RuleStatus,
  STATUS_SEVERITY,
  type StatusTransition,
} from "../kpi/index.ts";
import { enqueueAlert } from "./alert-delivery.ts";
import {
  type AlertEvent,
  type AlertItem,
  composeAlert,
  composeReply,
  incidentStateText,
} from "./answers/alert-message.ts";
import { contentKey, updateRoot } from "./incident-updates.ts";
import { buildSnapshot, evaluationOf, type Snapshot } from "./snapshot.ts";
import { inScope } from "./subscription-scope.ts";
import { subscriptionLocale, type WorkspaceCatalog } from "./workspace-catalog.ts";

/** A confirmed change of a KPI's alerted window in one scope of this run. */
export interface ScopeChange {
  def: KpiDefinition;
  transition: StatusTransition;
}

/** An anomaly or forecast recorded in this run (told to channels once, in the run's post). */
export interface Warning {
  def: KpiDefinition;
  event: Extract<AlertEvent, { kind: "anomaly" | "forecast" }>;
  changeId: number;
}

export interface ScopeResult {
  segment: string;
  snapshot: Snapshot;
  changes: ScopeChange[];
  warnings: Warning[];
}

export interface AnnounceOptions {
  /**
   * How long a new alert, a reply or a reminder may wait in the outbox before it is too old to be told as
   * news (CLG_ALERT_MAX_AGE_MINUTES); edits of a stored alert are never stale. No limit when absent.
   */
  maxAgeMs?: number;
}

/** A recovered incident is still told to a channel that was snoozed or muted while it recovered, this long. */
const RESOLVED_TELL_DAYS = 90;

interface ChannelPlan {
  platform: string;
  channel: string;
  locale: string;
  posts: { incident: IncidentRow; item: AlertItem }[];
  replies: Map<string, { incident: IncidentRow; item: AlertItem }[]>;
  warnings: { warning: Warning; item: AlertItem }[];
  reminders: Map<string, { incident: IncidentRow; item: AlertItem; round: number }[]>;
}

const worse = (a: string, b: string) => STATUS_SEVERITY[a as RuleStatus] > STATUS_SEVERITY[b as RuleStatus];

/**
 * Turns the run's confirmed changes into incidents and tells every subscribed channel what it has not yet
 * been told: a worsening (or a new incident) as a new post, grouped per channel with the run's anomalies
 * and forecasts; an improvement or recovery as a reply in the incident's thread plus an edit of the alert
 * that opened it. The notice's primary key (incident, channel, seq) makes each telling happen once.
 */
export async function announceChanges(
  db: Db,
  catalog: WorkspaceCatalog,
  scopes: readonly ScopeResult[],
  subsBySegment: ReadonlyMap<string, readonly SubscriptionRow[]>,
  muted: ReadonlySet<string>,
  now: Date,
  opts: AnnounceOptions = {},
): Promise<number> {
  const changed = new Map<number, ScopeChange>();
  for (const scope of scopes) {
    for (const change of scope.changes) {
      const incident = await recordIncidentChange(
        db,
        catalog.workspace,
        { kpi: change.def.slug, window: defaultWindow(change.def), segment: scope.segment },
        change.transition.to,
        now,
      );
      if (incident) changed.set(incident.id, change);
    }
  }
  const items = itemFactory(db, catalog, now);
  const plans = new Map<string, ChannelPlan>();
  const planFor = (sub: SubscriptionRow) => {
    const key = `${sub.platform}|${sub.channel}`;
    let plan = plans.get(key);
    if (!plan) {
      plan = {
        platform: sub.platform,
        channel: sub.channel,
        locale: subscriptionLocale(catalog, sub),
        posts: [],
        replies: new Map(),
        warnings: [],
        reminders: new Map(),
      };
      plans.set(key, plan);
    }
    return plan;
  };
  const scopeOf = new Map(scopes.map((s) => [s.segment, s]));

  const incidents = await listIncidentsToTell(
    db,
    catalog.workspace,
    new Date(now.getTime() - RESOLVED_TELL_DAYS * 86_400_000),
  );
  const told = new Map<string, IncidentNoticeRow>();
  for (const n of await latestNotices(
    db,
    incidents.map((i) => i.id),
  ))
    told.set(`${n.incident_id}|${n.platform}|${n.channel}`, n);

  for (const incident of incidents) {
    const def = catalog.bySlug.get(incident.kpi);
    const scope = scopeOf.get(incident.segment);
    if (!def || !scope || incident.window !== defaultWindow(def)) continue;
    if (muted.has(def.slug) || (incident.snoozed_until && incident.snoozed_until > now)) continue;
    const seen = new Set<string>();
    for (const sub of subsBySegment.get(incident.segment) ?? []) {
      if (!inScope(def, sub.filter as SubscriptionFilter)) continue;
      const key = `${incident.id}|${sub.platform}|${sub.channel}`;
      if (seen.has(key)) continue; // two subscriptions of one channel: one telling
      seen.add(key);
      const last = told.get(key);
      if (last?.status === incident.status) {
        const round = reminderRound(incident, last, sub.filter as SubscriptionFilter, now);
        if (round === 0) continue;
        const reminder: AlertEvent = { kind: "reminder", status: "red", openedAt: incident.opened_at, now };
        const item = await items(scope, def, incident.window, reminder);
        const plan = planFor(sub);
        if (item)
          plan.reminders.set(last.root_key, [
            ...(plan.reminders.get(last.root_key) ?? []),
            { incident, item, round },
          ]);
        continue;
      }
      if (!last && incident.resolved_at) continue;
      const change = changed.get(incident.id);
      const from = (last?.status ?? (change ? change.transition.from : "green")) as RuleStatus | null;
      const event: AlertEvent =
        change && change.transition.from === from
          ? {
              kind: "status",
              from,
              to: change.transition.to,
              cause: change.transition.cause,
              rulesBefore: change.transition.rulesBefore,
            }
          : { kind: "status", from, to: incident.status as RuleStatus, cause: "data", rulesBefore: null };
      const item = await items(scope, def, incident.window, event);
      if (!item) continue;
      const plan = planFor(sub);
      if (!last || worse(incident.status, last.status)) plan.posts.push({ incident, item });
      else plan.replies.set(last.root_key, [...(plan.replies.get(last.root_key) ?? []), { incident, item }]);
    }
  }

  for (const warning of scopeOf.get("")?.warnings ?? []) {
    if (muted.has(warning.def.slug)) continue;
    const scope = scopeOf.get("") as ScopeResult;
    const seen = new Set<string>();
    for (const sub of subsBySegment.get("") ?? []) {
      if (
        !inScope(warning.def, sub.filter as SubscriptionFilter) ||
        seen.has(`${sub.platform}|${sub.channel}`)
      )
        continue;
      seen.add(`${sub.platform}|${sub.channel}`);
      const item = await items(scope, warning.def, defaultWindow(warning.def), warning.event);
      if (item) planFor(sub).warnings.push({ warning, item });
    }
  }

  let queued = 0;
  const staleAt = opts.maxAgeMs !== undefined ? new Date(now.getTime() + opts.maxAgeMs) : undefined;
  for (const plan of plans.values()) queued += await tell(db, catalog, plan, now, staleAt);
  return queued;
}

/**
 * Which reminder is due for a channel told about a red incident: 0 for none; otherwise 1, 2, ... for each
 * `remind_hours` since it was told (the round is part of the delivery's key, so each is sent once).
 * Off unless the subscription asks; an acknowledged incident is not repeated.
 */
function reminderRound(
  incident: IncidentRow,
  last: IncidentNoticeRow,
  filter: SubscriptionFilter,
  now: Date,
): number {
  const every = filter.remind_hours;
  if (!every || incident.status !== "red" || incident.resolved_at || incident.acked_at) return 0;
  return Math.floor((now.getTime() - last.created_at.getTime()) / (every * 3_600_000));
}

async function tell(
  db: Db,
  catalog: WorkspaceCatalog,
  plan: ChannelPlan,
  now: Date,
  staleAt: Date | undefined,
): Promise<number> {
  const { platform, channel } = plan;
  const where = { workspace: catalog.workspace, platform, channel, now, ...(staleAt ? { staleAt } : {}) };
  let queued = 0;
  if (plan.posts.length + plan.warnings.length > 0) {
    const key = `alert:${catalog.workspace}:${platform}:${channel}:${contentKey([
      ...plan.posts.map((p) => `i${p.incident.id}.${p.incident.seq}`),
      ...plan.warnings.map((w) => `w${w.warning.changeId}`),
    ])}`;
    const message = composeAlert(
      [...plan.posts.map((p) => p.item), ...plan.warnings.map((w) => w.item)],
      plan.locale,
    );
    let fresh = plan.warnings.length;
    for (const { incident } of plan.posts) {
      const notice = {
        incidentId: incident.id,
        platform,
        channel,
        seq: incident.seq,
        status: incident.status,
      };
      if (await insertNotice(db, { ...notice, kind: "post", deliveryKey: key, rootKey: key, message }, now))
        fresh++;
    }
    if (fresh > 0 && (await enqueueAlert(db, { ...where, key, kind: "post", parentKey: null, message })))
      queued++;
  }
  for (const [root, replies] of plan.replies) {
    const key = `reply:${root}:${contentKey(replies.map((r) => `i${r.incident.id}.${r.incident.seq}`))}`;
    let fresh = 0;
    for (const { incident } of replies) {
      const notice = {
        incidentId: incident.id,
        platform,
        channel,
        seq: incident.seq,
        status: incident.status,
      };
      if (
        await insertNotice(
          db,
          { ...notice, kind: "reply", deliveryKey: key, rootKey: root, message: null },
          now,
        )
      )
        fresh++;
    }
    if (fresh === 0) continue;
    const lines = replies
      .filter((r) => r.incident.resolved_at)
      .map((r) => incidentStateText(r.incident, now));
    const message = composeReply(
      replies.map((r) => r.item),
      lines,
      plan.locale,
    );
    if (await enqueueAlert(db, { ...where, key, kind: "reply", parentKey: root, message })) queued++;
    if (await updateRoot(db, catalog, { key: root, platform, channel }, key, now)) queued++;
  }
  for (const [root, reminders] of plan.reminders) {
    const key = `remind:${root}:${contentKey(reminders.map((r) => `i${r.incident.id}.${r.incident.seq}.${r.round}`))}`;
    const message = composeReply(
      reminders.map((r) => r.item),
      [],
      plan.locale,
    );
    if (await enqueueAlert(db, { ...where, key, kind: "reply", parentKey: root, message })) queued++;
  }
  return queued;
}

/**
 * Builds alert items. The run's snapshot reads only what evaluation needs; an alert's trend chart reads its
 * own KPI's history, once per KPI, window and segment.
 */
function itemFactory(db: Db, catalog: WorkspaceCatalog, now: Date) {
  const cache = new Map<string, Promise<Snapshot>>();
  return async (
    scope: ScopeResult,
    def: KpiDefinition,
    window: string,
    event: AlertEvent,
  ): Promise<AlertItem | null> => {
    const key = `${scope.segment}|${def.slug}|${window}`;
    let snap = cache.get(key);
    if (!snap) {
      snap = buildSnapshot(db, catalog, { kpis: [def.slug], windows: [window], segment: scope.segment, now });
      cache.set(key, snap);
    }
    const snapshot = await snap;
    const evaluation: Evaluation | undefined =
      evaluationOf(snapshot, def.slug, window) ?? evaluationOf(scope.snapshot, def.slug, window);
    return evaluation ? { def, evaluation, event, snapshot } : null;
  };
}
