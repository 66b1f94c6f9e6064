import { distance } from "fastest-levenshtein";
import { ClgError, err, ok, type Result } from "../errors.ts";
import type { Command, Vocabulary } from "./command.ts";
import { usageHint } from "./grammar.ts";
import { parseKpiQuery } from "./parse-kpi-query.ts";
import { parseSnooze } from "./parse-snooze.ts";
import { parseSubscribe, parseUnsubscribe } from "./parse-subscription.ts";
import { parseThreshold } from "./parse-threshold.ts";
import { badWindow, looksLikeWindow, readWindow } from "./parse-window.ts";
import { indexVocabulary, type KpiIndex, kpiSuggestions, matchKpiPrefix } from "./resolve-kpi.ts";
import { matchStagePrefix, unknownStageError } from "./resolve-stage.ts";
import { type Candidate, closest, didYouMean } from "./suggest.ts";
import { MAX_COMMAND_LENGTH, normalizeInput, normalizePhrase, type Token, tokenize } from "./tokenize.ts";

type Parser = (index: KpiIndex, tokens: readonly Token[]) => Result<Command, ClgError>;

const COMMAND_WORDS = [
  "help",
  "list",
  "stage",
  "board",
  "digest",
  "sources",
  "subscribe",
  "unsubscribe",
  "threshold",
  "snooze",
];
const COMMAND_CANDIDATES: Candidate<string>[] = COMMAND_WORDS.map((w) => ({ key: w, label: w, group: w }));

function phrase(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).join(" ");
}

function noExtras(command: Command, tokens: readonly Token[]): Result<Command, ClgError> {
  if (tokens.length === 0) return ok(command);
  return err(
    new ClgError(
      "clg_unknown_command",
      `\`${command.kind}\` takes nothing more; I don't understand "${phrase(tokens)}".`,
      {
        hint: usageHint(command.kind),
      },
    ),
  );
}

/** An optional window and nothing else. */
function windowOnly(tokens: readonly Token[], topic: string): Result<string | null, ClgError> {
  if (tokens.length === 0) return ok(null);
  const w = readWindow(tokens, 0);
  if (w instanceof ClgError) return err(w);
  if (w === null && looksLikeWindow((tokens[0] as Token).word))
    return err(badWindow((tokens[0] as Token).raw));
  if (w === null || w.used < tokens.length) {
    const extra = phrase(tokens.slice(w?.used ?? 0));
    return err(
      new ClgError("clg_unknown_command", `I don't understand "${extra}".`, { hint: usageHint(topic) }),
    );
  }
  return ok(w.window);
}

const PARSERS: Record<string, Parser> = {
  help: (_, t) => ok({ kind: "help", topic: t.length === 0 ? null : normalizePhrase(phrase(t)) }),
  list: (_, t) => {
    const p = normalizePhrase(phrase(t));
    if (p === "" || p === "all" || p === "kpis") return ok({ kind: "list", stage: null });
    const m = matchStagePrefix(t, 0);
    if (m === null || m.used < t.length) return err(unknownStageError(phrase(t)));
    return ok({ kind: "list", stage: m.value });
  },
  stage: (_, t) => {
    const m = matchStagePrefix(t, 0);
    if (m === null) {
      const w = t.findIndex((_x, i) => readWindow(t, i) !== null);
      return err(unknownStageError(phrase(w === -1 ? t : t.slice(0, w))));
    }
    const window = windowOnly(t.slice(m.used), "stage");
    return window.ok ? ok({ kind: "stage", stage: m.value, window: window.value }) : window;
  },
  board: (_, t) => {
    const window = windowOnly(t, "board");
    return window.ok ? ok({ kind: "board", window: window.value }) : window;
  },
  digest: (_, t) => noExtras({ kind: "digest" }, t),
  sources: (_, t) => noExtras({ kind: "sources" }, t),
  subscribe: parseSubscribe,
  unsubscribe: parseUnsubscribe,
  threshold: (index, t) => parseThreshold(index, t, 0),
  snooze: (index, t) => parseSnooze(index, t, 0),
};

/** Words people type for a command by another name. */
const SYNONYMS: Record<string, string> = {
  "?": "help",
  commands: "help",
  kpis: "list",
  source: "sources",
  mute: "snooze",
};

/** Neither a command nor a KPI: say which of the two it is most likely a typo of. */
function unknownFirstWord(index: KpiIndex, tokens: readonly Token[]): ClgError {
  const end = tokens.findIndex(
    (t, i) => i > 0 && (["vs", "by", "for"].includes(t.word) || readWindow(tokens, i) !== null),
  );
  const kpiText = phrase(end === -1 ? tokens : tokens.slice(0, end));
  const first = (tokens[0] as Token).word;
  const commands = closest(first, COMMAND_CANDIDATES);
  const kpis = kpiSuggestions(index, kpiText);
  const commandDistance = commands.length === 0 ? Infinity : distance(first, commands[0] as string);
  const kpiDistance =
    kpis.length === 0 ? Infinity : distance(normalizePhrase(kpiText), normalizePhrase(kpis[0] as string));
  if (kpis.length > 0 && kpiDistance <= commandDistance) {
    return new ClgError("clg_unknown_kpi", `No KPI "${kpiText}".${didYouMean(kpis)}`, {
      hint: "Type `list` to see every KPI.",
      suggestions: kpis,
    });
  }
  if (commands.length > 0) {
    return new ClgError("clg_unknown_command", `No command "${first}".${didYouMean(commands)}`, {
      hint: "Type `help` to see every command.",
      suggestions: commands,
    });
  }
  if (end !== -1) {
    return new ClgError("clg_unknown_kpi", `No KPI "${kpiText}".`, { hint: "Type `list` to see every KPI." });
  }
  return new ClgError(
    "clg_unknown_command",
    `I don't know "${kpiText}": it is neither a command nor a KPI.`,
    {
      hint: "Type `help` to see the commands, or `list` to see every KPI.",
    },
  );
}

function parseTokens(tokens: readonly Token[], index: KpiIndex): Result<Command, ClgError> {
  if (tokens.length === 0) return ok({ kind: "help", topic: null });
  const head = tokens[0] as Token;
  const word = SYNONYMS[head.word] ?? head.word;
  const parser = head.quoted ? undefined : PARSERS[word];
  const kpi = matchKpiPrefix(index, tokens, 0);
  if (parser !== undefined) {
    const result = parser(index, tokens.slice(1));
    // A KPI whose name starts with a command word ("board meetings") is still reachable.
    if (result.ok || kpi === null || kpi.used < 2) return result;
    const asKpi = parseKpiQuery(index, kpi.value, tokens, kpi.used);
    return asKpi.ok ? asKpi : result;
  }
  if (kpi !== null) return parseKpiQuery(index, kpi.value, tokens, kpi.used);
  const stage = matchStagePrefix(tokens, 0);
  if (stage !== null) {
    const window = windowOnly(tokens.slice(stage.used), "stage");
    if (window.ok) return ok({ kind: "stage", stage: stage.value, window: window.value });
  }
  return err(unknownFirstWord(index, tokens));
}

// A vocabulary object is built once per catalog version and asked many times.
const indexes = new WeakMap<Vocabulary, KpiIndex>();
function cachedIndex(vocab: Vocabulary): KpiIndex {
  let index = indexes.get(vocab);
  if (index === undefined) {
    index = indexVocabulary(vocab);
    indexes.set(vocab, index);
  }
  return index;
}

/**
 * Parses what a person typed into a Command. Never throws: every problem comes back as a ClgError
 * whose message says what was wrong and, where it can, which words were probably meant.
 */
export function parseCommand(text: string, vocab: Vocabulary): Result<Command, ClgError> {
  try {
    if (text.length > MAX_COMMAND_LENGTH) {
      return err(
        new ClgError("clg_unknown_command", `That command is too long (${text.length} characters).`, {
          hint: "Commands are short: type `help` to see them.",
        }),
      );
    }
    return parseTokens(tokenize(normalizeInput(text)), cachedIndex(vocab));
  } catch (cause) {
    return err(new ClgError("clg_internal", "Something went wrong reading that command.", { cause }));
  }
}
