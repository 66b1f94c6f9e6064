import { ClgError } from "../../errors.ts";
import { type ActivationRule, activationSamples, type TrialAccount } from "../../kpi/activation-rule.ts";
import type { Sample } from "../../kpi/sample.ts";
import { TOTAL_SEGMENT } from "../../kpi/sample.ts";
import type { RowReader } from "./read-rows.ts";

export const ACTIVATION_COLUMNS = ["account_id", "signup_day", "event", "day", "count"] as const;

interface Account extends TrialAccount {
  segment: string;
  events: { event: string; day: string; count: number }[];
}

function failed(message: string, hint: string): ClgError {
  return new ClgError("clg_source_failed", message, { hint });
}

/**
 * Per-account event counts into per-sign-up-day num/den. A trial with no events comes as one row whose
 * event is NULL (a LEFT JOIN), so it still counts in the denominator. Sign-up days whose window has not
 * closed by `asOf` are left out: their numerator can still rise. With a `segment` column, each account's
 * segment gets its own samples next to the total.
 */
export function activationRowsToSamples(reader: RowReader, rule: ActivationRule, asOf: string): Sample[] {
  const kpi = reader.kpi.slug;
  reader.require([...ACTIVATION_COLUMNS], ["segment"], "an activation-rule KPI");
  const accounts = new Map<string, Account>();
  for (const row of reader.result.rows) {
    const rawId = reader.raw(row, "account_id");
    if (rawId === null || rawId === undefined || rawId === "") {
      throw failed(`KPI "${kpi}": a row has no account_id.`, "Every row needs the trial's account id.");
    }
    const id = String(rawId);
    const at = `account ${id}`;
    const signupDay = reader.day(row, "signup_day", `${at}: `);
    const segment = reader.segment(row, at);
    const account = accounts.get(id) ?? { id, signupDay, segment, events: [] };
    if (account.signupDay !== signupDay || account.segment !== segment) {
      throw failed(
        `KPI "${kpi}": account ${id} has rows with different signup_day or segment (${account.signupDay} and ${signupDay}).`,
        "Each account has one sign-up day and one segment.",
      );
    }
    accounts.set(id, account);
    const event = reader.raw(row, "event");
    if (event === null || event === undefined || event === "") continue;
    const day = reader.day(row, "day", `${at}, event ${String(event)}: `);
    const count = reader.number(row, "count", `${at}, event ${String(event)} on ${day}`, {
      nonNegative: true,
    });
    account.events.push({ event: String(event), day, count });
  }
  const all = [...accounts.values()];
  const samples = activationSamples(all, rule, { kpi, asOf });
  const segments = new Set(all.map((a) => a.segment).filter((s) => s !== TOTAL_SEGMENT));
  for (const segment of [...segments].sort()) {
    const members = all.filter((a) => a.segment === segment);
    samples.push(...activationSamples(members, rule, { kpi, segment, asOf }));
  }
  return samples;
}
