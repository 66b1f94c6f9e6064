import { ClgError, err, ok, type Result } from "../errors.ts";
import type { Command, Vocabulary } from "./command.ts";
import { usageHint } from "./grammar.ts";
import { parseKpiQuery } from "./parse-kpi-query.ts";
import { parseAck, parseSnooze } from "./parse-snooze.ts";
import { parseSubscribe, parseUnsubscribe } from "./parse-subscription.ts";
import { parseThreshold } from "./parse-threshold.ts";
import { noExtras, parseBoard, parseList, parseStage, windowOnly } from "./parse-views.ts";
import { indexVocabulary, type KpiIndex, matchKpiPrefix } from "./resolve-kpi.ts";
import { matchStagePrefix } from "./resolve-stage.ts";
import {
  joinRaw,
  MAX_COMMAND_LENGTH,
  normalizeInput,
  normalizePhrase,
  type Token,
  tokenize,
} from "./tokenize.ts";
import { type COMMAND_WORDS, unknownFirstWord } from "./unknown-word.ts";

type Parser = (index: KpiIndex, tokens: readonly Token[]) => Result<Command, ClgError>;

const PARSERS: Record<(typeof COMMAND_WORDS)[number], Parser> = {
  help: (_, t) => ok({ kind: "help", topic: t.length === 0 ? null : normalizePhrase(joinRaw(t)) }),
  list: (_, t) => parseList(t),
  stage: (_, t) => parseStage(t),
  board: (_, t) => parseBoard(t),
  digest: (_, t) => noExtras({ kind: "digest" }, t),
  sources: (_, t) => noExtras({ kind: "sources" }, t),
  subscribe: parseSubscribe,
  unsubscribe: parseUnsubscribe,
  threshold: (index, t) => parseThreshold(index, t, 0),
  snooze: (index, t) => parseSnooze(index, t, 0),
  ack: parseAck,
  share: (index, t) => parseShared(index, t),
};

/** `share <command>`: the same command, answered for the whole channel. */
function parseShared(index: KpiIndex, tokens: readonly Token[]): Result<Command, ClgError> {
  if (tokens.length === 0 || (!tokens[0]?.quoted && tokens[0]?.word === "share"))
    return err(
      new ClgError("clg_unknown_command", "Share what? Put the command after `share`.", {
        hint: usageHint("share"),
      }),
    );
  const inner = parseTokens(tokens, index);
  return inner.ok ? ok({ ...inner.value, share: true }) : inner;
}

/** Words people type for a command by another name. */
const SYNONYMS: Record<string, keyof typeof PARSERS> = {
  "?": "help",
  commands: "help",
  kpis: "list",
  source: "sources",
  mute: "snooze",
  acknowledge: "ack",
};

function parserFor(token: Token): Parser | undefined {
  if (token.quoted) return undefined;
  const word = SYNONYMS[token.word] ?? token.word;
  return Object.hasOwn(PARSERS, word) ? PARSERS[word as keyof typeof PARSERS] : undefined;
}

function parseTokens(tokens: readonly Token[], index: KpiIndex): Result<Command, ClgError> {
  if (tokens.length === 0) return ok({ kind: "help", topic: null });
  const parser = parserFor(tokens[0] as Token);
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
