import { ClgError } from "../../errors.ts";
import { type ActivationRule, activationSamples, type TrialAccount } from "../../kpi/activation-rule.ts";
import type { KpiDefinition } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";

/** The most accounts one segmentation query is asked for (its `limit`); reaching it means some were cut off. */
export const ACCOUNT_LIMIT = 10_000;

/** Mixpanel's label for events that lack the segmentation property. */
const NO_VALUE = new Set(["undefined", "null", ""]);

/** The most values a breakdown of activation may have: each costs a query of Mixpanel's hourly 60. */
export const BREAKDOWN_LIMIT = 20;

export interface ActivationQuery {
  rule: ActivationRule;
  signup_event: string;
  account_property: string;
  where?: string | undefined;
  breakdown?: { property: string; as: string } | undefined;
}

export type SegmentationGet = (params: Record<string, string>) => Promise<unknown>;

function failed(message: string, hint: string): ClgError {
  return new ClgError("clg_source_failed", message, { hint });
}

/**
 * One event's daily counts per account: segmentation by day with `on` the account property. The answer is
 * `{ data: { series, values: { <account>: { <day>: count } } } }`.
 */
async function countsByAccount(
  get: SegmentationGet,
  kpi: string,
  q: ActivationQuery,
  event: string,
  since: string,
  until: string,
  where: string | undefined = q.where,
): Promise<Map<string, Map<string, number>>> {
  const params: Record<string, string> = {
    event,
    from_date: since,
    to_date: until,
    unit: "day",
    type: "general",
    on: `properties[${JSON.stringify(q.account_property)}]`,
    limit: String(ACCOUNT_LIMIT),
  };
  if (where) params.where = where;
  const answer = (await get(params)) as { data?: { values?: Record<string, Record<string, unknown>> } };
  const values = answer.data?.values ?? {};
  if (Object.keys(values).length >= ACCOUNT_LIMIT) {
    throw failed(
      `KPI "${kpi}": Mixpanel's segmentation of "${event}" by ${q.account_property} reached ${ACCOUNT_LIMIT} accounts, so some would be left out.`,
      "Narrow the query with `where` (e.g. trial accounts only), poll fewer days at once, or count activation in the SQL source.",
    );
  }
  const out = new Map<string, Map<string, number>>();
  for (const [account, byDay] of Object.entries(values)) {
    if (NO_VALUE.has(account)) continue;
    const days = new Map<string, number>();
    for (const [day, v] of Object.entries(byDay)) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw failed(
          `KPI "${kpi}": Mixpanel gave ${event} = ${JSON.stringify(v)} for account ${account} on ${day}, which is not a count.`,
          "Check the event and account property.",
        );
      }
      if (v > 0 && day >= since && day <= until) days.set(day, v);
    }
    if (days.size > 0) out.set(account, days);
  }
  return out;
}

/**
 * The composite activation rule from Mixpanel: the sign-up event by account gives each account's sign-up
 * day (its first day with the event), each rule event by account gives its daily counts, and the rule is
 * counted per sign-up day as the SQL source does (den = accounts that signed up, num = those that met the
 * rule within `within_days`). Sign-up days whose window has not closed by `until` are left out. With a
 * breakdown, each value of the sign-up event's property gets its own samples next to the total.
 */
export async function activationSamplesFromMixpanel(
  get: SegmentationGet,
  kpi: KpiDefinition,
  q: ActivationQuery,
  since: string,
  until: string,
): Promise<Sample[]> {
  const signups = await countsByAccount(get, kpi.slug, q, q.signup_event, since, until);
  const accounts = new Map<string, TrialAccount & { events: TrialAccount["events"][number][] }>();
  for (const [id, days] of signups) {
    const signupDay = [...days.keys()].sort()[0] as string;
    accounts.set(id, { id, signupDay, events: [] });
  }
  const events = [...new Set(q.rule.all.map((c) => c.event))];
  for (const event of events) {
    const counts = await countsByAccount(get, kpi.slug, q, event, since, until);
    for (const [id, days] of counts) {
      const account = accounts.get(id);
      if (!account) continue;
      for (const [day, count] of days) account.events.push({ event, day, count });
    }
  }
  const all = [...accounts.values()];
  const samples = activationSamples(all, q.rule, { kpi: kpi.slug, asOf: until });
  if (q.breakdown) {
    for (const [value, members] of await breakdownMembers(get, kpi.slug, q, q.breakdown, since, until)) {
      const segment = `${q.breakdown.as}:${value}`;
      const cohort = all.filter((a) => members.has(a.id));
      samples.push(...activationSamples(cohort, q.rule, { kpi: kpi.slug, segment, asOf: until }));
    }
  }
  return samples;
}

/**
 * The accounts of each value of a sign-up event property: the property's values first (segmentation
 * `on` it), then the sign-up event by account once per value (`where` the property equals it).
 */
async function breakdownMembers(
  get: SegmentationGet,
  kpi: string,
  q: ActivationQuery,
  breakdown: { property: string; as: string },
  since: string,
  until: string,
): Promise<Map<string, Set<string>>> {
  const property = `properties[${JSON.stringify(breakdown.property)}]`;
  const params: Record<string, string> = {
    event: q.signup_event,
    from_date: since,
    to_date: until,
    unit: "day",
    type: "general",
    on: property,
    limit: String(BREAKDOWN_LIMIT + 1),
  };
  if (q.where) params.where = q.where;
  const answer = (await get(params)) as { data?: { values?: Record<string, unknown> } };
  const values = Object.keys(answer.data?.values ?? {}).filter((v) => !NO_VALUE.has(v));
  if (values.length > BREAKDOWN_LIMIT) {
    throw failed(
      `KPI "${kpi}": the breakdown by ${breakdown.property} has more than ${BREAKDOWN_LIMIT} values; each costs a Mixpanel query.`,
      "Break activation down by a property with fewer values (a plan, a country group).",
    );
  }
  const out = new Map<string, Set<string>>();
  for (const value of values.sort()) {
    const match = `${property} == ${JSON.stringify(value)}`;
    const where = q.where ? `(${q.where}) and ${match}` : match;
    const signups = await countsByAccount(get, kpi, q, q.signup_event, since, until, where);
    out.set(value, new Set(signups.keys()));
  }
  return out;
}
