import { ClgError, err, ok, type Result } from "../errors.ts";
import type { AlertScope, Command } from "./command.ts";
import { usageHint } from "./grammar.ts";
import { CRON_SHORTCUTS, parseCron, parseTimezone } from "./parse-schedule.ts";
import { parseSegment } from "./parse-segment.ts";
import { type KpiIndex, kpiSuggestions } from "./resolve-kpi.ts";
import { stageFromPhrase, stageSuggestions, unknownStageError } from "./resolve-stage.ts";
import { closest, didYouMean } from "./suggest.ts";
import { joinRaw, normalizePhrase, type Token } from "./tokenize.ts";

/** A digest without a schedule comes on weekdays at 09:00, what most teams ask for. */
const DEFAULT_DIGEST_CRON = CRON_SHORTCUTS.weekdays as string;
const TIME = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/;

/** `daily at 8:30`, `weekdays at 7am`: the shortcut's cron with the time swapped in. */
function withTime(cron: string, time: string): Result<string, ClgError> {
  const m = TIME.exec(time.toLowerCase());
  let hour = Number(m?.[1]);
  const minute = Number(m?.[2] ?? 0);
  if (m?.[3] === "pm" && hour < 12) hour += 12;
  if (m?.[3] === "am" && hour === 12) hour = 0;
  if (!m || hour > 23 || minute > 59) {
    return err(
      new ClgError("clg_bad_cron", `"${time}" is not a time of day.`, {
        hint: "Write it as `at 8`, `at 8:30` or `at 7pm`.",
      }),
    );
  }
  return ok(`${minute} ${hour} ${cron.split(" ").slice(2).join(" ")}`);
}

function parseDigestSchedule(tokens: readonly Token[]): Result<Command, ClgError> {
  if (tokens.length === 0) return ok({ kind: "subscribe_digest", cron: DEFAULT_DIGEST_CRON, timezone: null });
  const first = tokens[0] as Token;
  let cron: Result<string, ClgError>;
  let rest: readonly Token[];
  if (first.quoted) {
    cron = parseCron(first.raw);
    rest = tokens.slice(1);
  } else if (CRON_SHORTCUTS[first.word] !== undefined) {
    cron = parseCron(first.word);
    rest = tokens.slice(1);
    if (cron.ok && rest[0]?.word === "at" && rest[1] !== undefined) {
      cron = withTime(cron.value, rest[1].raw);
      rest = rest.slice(2);
    }
  } else if (/^[a-z]+$/.test(first.word) && tokens.length <= 2) {
    const suggestions = closest(
      first.word,
      Object.keys(CRON_SHORTCUTS).map((k) => ({ key: k, label: k, group: k })),
    );
    return err(
      new ClgError("clg_bad_cron", `"${first.raw}" is not a schedule.${didYouMean(suggestions)}`, {
        hint: usageHint("subscribe"),
        suggestions,
      }),
    );
  } else {
    // Unquoted cron fields: the first five words, then at most a time zone.
    cron = parseCron(joinRaw(tokens.slice(0, 5)));
    rest = tokens.slice(5);
  }
  if (!cron.ok) return cron;
  if (rest.length > 1) {
    return err(
      new ClgError("clg_bad_cron", `I don't understand "${joinRaw(rest)}" after the schedule.`, {
        hint: usageHint("subscribe"),
      }),
    );
  }
  if (rest.length === 0) return ok({ kind: "subscribe_digest", cron: cron.value, timezone: null });
  const zone = parseTimezone((rest[0] as Token).raw);
  if (!zone.ok) return zone;
  return ok({ kind: "subscribe_digest", cron: cron.value, timezone: zone.value });
}

/** `all`, `stage <stage>`, `kpi <kpi>`, a KPI, or a stage (a KPI wins when a word is both). */
export function parseAlertScope(index: KpiIndex, tokens: readonly Token[]): Result<AlertScope, ClgError> {
  const phrase = normalizePhrase(joinRaw(tokens));
  if (phrase === "" || phrase === "all") return ok({ kind: "all" });
  const head = tokens[0]?.word;
  const tail = joinRaw(tokens.slice(1));
  if (head === "stage") {
    const stage = stageFromPhrase(tail);
    return stage === undefined ? err(unknownStageError(tail)) : ok({ kind: "stage", stage });
  }
  const kpiPhrase = head === "kpi" ? normalizePhrase(tail) : phrase;
  const slug = index.phrases.get(kpiPhrase);
  if (slug !== undefined) return ok({ kind: "kpi", kpi: slug });
  const stage = head === "kpi" ? undefined : stageFromPhrase(phrase);
  if (stage !== undefined) return ok({ kind: "stage", stage });
  const shown = head === "kpi" ? tail : joinRaw(tokens);
  const suggestions = [...kpiSuggestions(index, shown), ...stageSuggestions(shown)].slice(0, 3);
  return err(
    new ClgError("clg_unknown_kpi", `No KPI or stage "${shown}".${didYouMean(suggestions)}`, {
      hint: "Type `list` to see every KPI, or use `all`.",
      suggestions,
    }),
  );
}

function parseAlerts(index: KpiIndex, tokens: readonly Token[]): Result<Command, ClgError> {
  const forAt = tokens.findIndex((t) => t.word === "for" && !t.quoted);
  const scopeTokens = forAt === -1 ? tokens : tokens.slice(0, forAt);
  const scope = parseAlertScope(index, scopeTokens);
  if (!scope.ok) return scope;
  if (forAt === -1) return ok({ kind: "subscribe_alerts", scope: scope.value, segment: null });
  const kpi = scope.value.kind === "kpi" ? scope.value.kpi : null;
  const dimensions = kpi === null ? undefined : index.dimensions.get(kpi);
  const segment = parseSegment(kpi, joinRaw(tokens.slice(forAt + 1)), dimensions);
  if (!segment.ok) return err(segment.error);
  return ok({ kind: "subscribe_alerts", scope: scope.value, segment: segment.segment });
}

function whichOf(choices: string[], got: Token | undefined, topic: string): ClgError {
  const list = choices.map((c) => `\`${c}\``).join(", ");
  if (got === undefined)
    return new ClgError("clg_unknown_command", `${topic} what? Choose ${list}.`, { hint: usageHint(topic) });
  const suggestions = closest(
    got.word,
    choices.map((c) => ({ key: c, label: c, group: c })),
  );
  return new ClgError(
    "clg_unknown_command",
    `Can't ${topic} "${got.raw}": choose ${list}.${didYouMean(suggestions)}`,
    {
      hint: usageHint(topic),
      suggestions,
    },
  );
}

export function parseSubscribe(index: KpiIndex, tokens: readonly Token[]): Result<Command, ClgError> {
  const what = tokens[0]?.word;
  if (what === "digest" || what === "digests") return parseDigestSchedule(tokens.slice(1));
  if (what === "alerts" || what === "alert") return parseAlerts(index, tokens.slice(1));
  return err(whichOf(["digest", "alerts"], tokens[0], "subscribe"));
}

export function parseUnsubscribe(index: KpiIndex, tokens: readonly Token[]): Result<Command, ClgError> {
  const what = tokens[0]?.word;
  const rest = tokens.slice(1);
  if ((what === "digest" || what === "digests" || what === "all") && rest.length > 0) {
    return err(
      new ClgError("clg_unknown_command", `I don't understand "${joinRaw(rest)}" after ${what}.`, {
        hint: usageHint("unsubscribe"),
      }),
    );
  }
  if (what === "digest" || what === "digests")
    return ok({ kind: "unsubscribe", what: "digest", scope: null });
  if (what === "all") return ok({ kind: "unsubscribe", what: "all", scope: null });
  if (what === "alerts" || what === "alert") {
    if (rest.length === 0) return ok({ kind: "unsubscribe", what: "alerts", scope: null });
    const scope = parseAlertScope(index, rest);
    return scope.ok ? ok({ kind: "unsubscribe", what: "alerts", scope: scope.value }) : scope;
  }
  return err(whichOf(["digest", "alerts", "all"], tokens[0], "unsubscribe"));
}
