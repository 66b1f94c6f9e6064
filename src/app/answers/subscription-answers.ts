import type { SubscriptionFilter } from "../../catalog/catalog-schema.ts";
import type { AlertScope } from "../../commands/command.ts";
import { commandText } from "../../commands/command-text.ts";
import { writeAudit } from "../../db/audit-log-repository.ts";
import type { Db } from "../../db/db.ts";
import type { SubscriptionRow } from "../../db/schema.ts";
import {
  addSubscription,
  canonicalFilter,
  listSubscriptions,
  removeSubscription,
} from "../../db/subscriptions-repository.ts";
import { STAGE_LABELS } from "../../kpi/index.ts";
import type { Message } from "../../messages/message.ts";
import { kpisInScope } from "../subscription-scope.ts";
import type { AnswerDeps, Asker } from "./answer-context.ts";
import { mustHaveSegment } from "./segment-check.ts";

function scopeFilter(scope: AlertScope | null, segment: string | null): SubscriptionFilter {
  const filter: SubscriptionFilter = {};
  if (scope?.kind === "stage") filter.stage = scope.stage;
  if (scope?.kind === "kpi") filter.kpi = scope.kpi;
  if (segment) filter.segment = segment;
  return filter;
}

export function describeFilter(deps: Pick<AnswerDeps, "catalog">, filter: SubscriptionFilter): string {
  const what = filter.kpi
    ? (deps.catalog.bySlug.get(filter.kpi)?.name ?? filter.kpi)
    : filter.stage
      ? `the ${STAGE_LABELS[filter.stage]} stage`
      : "every KPI";
  return filter.segment ? `${what} (${filter.segment})` : what;
}

/** Runs `work` in a transaction, or in the caller's when there is one already. */
function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

async function audit(
  db: Db,
  asker: Asker,
  action: string,
  sub: SubscriptionRow,
  before: unknown,
  after: unknown,
) {
  await writeAudit(db, asker.workspace, [
    {
      actor: asker.user,
      action,
      entity: "subscription",
      entityKey: `${sub.platform}:${sub.channel}:${sub.kind}:${sub.id}`,
      before,
      after,
    },
  ]);
}

export async function answerSubscribeDigest(
  deps: AnswerDeps,
  asker: Asker,
  cron: string,
  timezone: string | null,
): Promise<Message> {
  const tz = timezone ?? deps.catalog.timezone;
  const { created } = await inTransaction(deps.db, async (trx) => {
    const added = await addSubscription(trx, asker.workspace, {
      platform: asker.platform,
      channel: asker.channel,
      kind: "digest",
      cron,
      timezone: tz,
      locale: asker.locale,
      createdBy: asker.user,
    });
    if (added.created) await audit(trx, asker, "subscribe", added.subscription, null, { cron, timezone: tz });
    return added;
  });
  const text = created
    ? `This channel will get the digest on the schedule \`${cron}\` (${tz}).`
    : `This channel already gets the digest on \`${cron}\` (${tz}); nothing changed.`;
  return {
    summary: text,
    blocks: [
      { type: "text", text },
      { type: "context", text: "Type `digest` for one now, or `unsubscribe digest` to stop." },
    ],
  };
}

export async function answerSubscribeAlerts(
  deps: AnswerDeps,
  asker: Asker,
  scope: AlertScope,
  segment: string | null,
): Promise<Message> {
  const filter = scopeFilter(scope, segment);
  if (segment) {
    await mustHaveSegment(deps, kpisInScope(deps.catalog.kpis, filter), segment, (s) =>
      commandText({ kind: "subscribe_alerts", scope, segment: s }),
    );
  }
  const { created } = await inTransaction(deps.db, async (trx) => {
    const added = await addSubscription(trx, asker.workspace, {
      platform: asker.platform,
      channel: asker.channel,
      kind: "alerts",
      filter,
      locale: asker.locale,
      createdBy: asker.user,
    });
    if (added.created) await audit(trx, asker, "subscribe", added.subscription, null, { filter });
    return added;
  });
  const what = describeFilter(deps, filter);
  const text = created
    ? `This channel will get an alert when ${what} changes status, looks unusual, or is on course to cross a threshold.`
    : `This channel already gets alerts for ${what}; nothing changed.`;
  return {
    summary: text,
    blocks: [
      { type: "text", text },
      { type: "context", text: "Type `snooze <kpi> 2h` to pause one KPI's alerts." },
    ],
  };
}

export async function answerUnsubscribe(
  deps: AnswerDeps,
  asker: Asker,
  what: "digest" | "alerts" | "all",
  scope: AlertScope | null,
): Promise<Message> {
  const subs = await listSubscriptions(deps.db, asker.workspace, {
    platform: asker.platform,
    channel: asker.channel,
  });
  // `unsubscribe alerts churn` also stops the channel's churn alerts limited to a segment.
  const wanted = scope && scope.kind !== "all" ? canonicalFilter(scopeFilter(scope, null)) : null;
  const scopeOf = (f: SubscriptionFilter) => canonicalFilter({ ...f, segment: undefined });
  const matching = subs.filter(
    (s) =>
      (what === "all" || s.kind === what) &&
      (wanted === null || scopeOf(s.filter as SubscriptionFilter) === wanted),
  );
  // Each removal and its audit row commit together, or neither does.
  await inTransaction(deps.db, async (trx) => {
    for (const s of matching) {
      if (!(await removeSubscription(trx, asker.workspace, s.id))) continue;
      await audit(trx, asker, "unsubscribe", s, { kind: s.kind, cron: s.cron, filter: s.filter }, null);
    }
  });
  const text =
    matching.length === 0
      ? `This channel had no ${what === "all" ? "" : `${what} `}subscription${wanted ? " for that" : ""}; nothing changed.`
      : `Removed ${matching.length} subscription${matching.length === 1 ? "" : "s"} from this channel.`;
  return { summary: text, blocks: [{ type: "text", text }] };
}
