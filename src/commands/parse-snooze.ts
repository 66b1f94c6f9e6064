import { ClgError, err, ok, type Result } from "../errors.ts";
import type { Command } from "./command.ts";
import { usageHint } from "./grammar.ts";
import { DURATION_HINT, parseDuration } from "./parse-duration.ts";
import { type KpiIndex, resolveKpiPhrase } from "./resolve-kpi.ts";
import { joinRaw, type Token } from "./tokenize.ts";

/** `ack <kpi>`: acknowledge the KPI's open alert. */
export function parseAck(index: KpiIndex, tokens: readonly Token[]): Result<Command, ClgError> {
  if (tokens.length === 0)
    return err(new ClgError("clg_unknown_kpi", "Acknowledge which KPI?", { hint: usageHint("ack") }));
  const kpi = resolveKpiPhrase(index, tokens, 0);
  if (!kpi.ok) return err(kpi.error);
  return ok({ kind: "ack", kpi: kpi.slug });
}

/** `snooze <kpi> <duration>`: the duration is the last word (or a number and a unit word). */
export function parseSnooze(
  index: KpiIndex,
  tokens: readonly Token[],
  start: number,
): Result<Command, ClgError> {
  const count = tokens.length - start;
  if (count === 0) {
    return err(
      new ClgError("clg_unknown_command", "Snooze which KPI, and for how long?", {
        hint: usageHint("snooze"),
      }),
    );
  }
  const last = tokens[tokens.length - 1] as Token;
  const beforeLast = tokens[tokens.length - 2];
  const split = /^\d+$/.test(beforeLast?.word ?? "") && /^[a-z]+$/.test(last.word) && count >= 3 ? 2 : 1;
  const durationText = joinRaw(tokens.slice(tokens.length - split));
  if (count === 1) {
    // One word: a duration without a KPI, or a KPI without a duration.
    if (parseDuration(last.raw).ok) {
      return err(new ClgError("clg_unknown_kpi", "Snooze which KPI?", { hint: usageHint("snooze") }));
    }
    const kpi = resolveKpiPhrase(index, tokens, start);
    if (!kpi.ok) return err(kpi.error);
    return err(new ClgError("clg_bad_duration", `Snooze ${kpi.slug} for how long?`, { hint: DURATION_HINT }));
  }
  const kpi = resolveKpiPhrase(index, tokens, start, tokens.length - split);
  if (!kpi.ok) return err(kpi.error);
  const duration = parseDuration(durationText);
  if (!duration.ok) return duration;
  return ok({ kind: "snooze", kpi: kpi.slug, minutes: duration.value.minutes, text: duration.value.text });
}
