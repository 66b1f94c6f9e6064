import { ClgError, err, ok, type Result } from "../errors.ts";
import { RULE_STATUSES, type RuleStatus } from "../kpi/status.ts";
import { numberProblem } from "../number-range.ts";
import type { Command } from "./command.ts";
import { grammarEntry } from "./grammar.ts";
import { readWindow } from "./parse-window.ts";
import { type KpiIndex, matchKpiPrefix, unknownKpiError } from "./resolve-kpi.ts";
import { closest, didYouMean } from "./suggest.ts";
import { joinRaw, normalizePhrase, type Token } from "./tokenize.ts";

const OPERATORS: Record<string, "below" | "above"> = {
  "<": "below",
  "<=": "below",
  below: "below",
  under: "below",
  ">": "above",
  ">=": "above",
  above: "above",
  over: "above",
};
const STATUS_WORDS = new Set<string>(RULE_STATUSES);
const NUMBER = /^[-+\u2212]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$/;

/** A number as typed, cut short when it would fill the reply. */
function shortened(text: string): string {
  return text.length > 24 ? `${text.slice(0, 12)}...${text.slice(-6)} (${text.length} characters)` : text;
}

function thresholdError(message: string, suggestions: string[] = []): ClgError {
  const entry = grammarEntry("threshold");
  const example = entry?.examples[0] ?? "";
  return new ClgError("clg_bad_threshold", message, {
    hint: `Write it as \`${entry?.usage[0] ?? ""}\`, e.g. \`${example}\`.`,
    suggestions,
  });
}

/**
 * Where the KPI name ends: at the status word when the words before it name a KPI, else after the
 * longest KPI name at the start. When neither works the error is about the KPI, taken as the words up
 * to the status word or the operator, so a later part is not blamed for it.
 */
function locateKpi(
  index: KpiIndex,
  tokens: readonly Token[],
  start: number,
): { slug: string; end: number } | ClgError {
  const at = tokens.findIndex((t, i) => i > start && STATUS_WORDS.has(t.word));
  const exact = at === -1 ? undefined : index.phrases.get(normalizePhrase(joinRaw(tokens.slice(start, at))));
  if (exact !== undefined) return { slug: exact, end: at };
  const prefix = matchKpiPrefix(index, tokens, start);
  if (prefix !== null) return { slug: prefix.value, end: start + prefix.used };
  const opAt = tokens.findIndex((t, i) => i > start && OPERATORS[t.word] !== undefined);
  const end = at !== -1 ? at : opAt !== -1 ? Math.max(start + 1, opAt - 1) : start + 1;
  return unknownKpiError(index, joinRaw(tokens.slice(start, end)));
}

/** Parses the words after `threshold`; each error names the part that is wrong. */
export function parseThreshold(
  index: KpiIndex,
  tokens: readonly Token[],
  start: number,
): Result<Command, ClgError> {
  if (start >= tokens.length) return err(thresholdError("Which KPI, and when should it change colour?"));
  const located = locateKpi(index, tokens, start);
  if (located instanceof ClgError) return err(located);
  const kpi = located;
  const kpiEnd = located.end;

  const statusToken = tokens[kpiEnd];
  if (statusToken === undefined)
    return err(thresholdError(`Which status should ${kpi.slug} get: red, amber or green?`));
  if (!STATUS_WORDS.has(statusToken.word)) {
    const suggestions = closest(
      statusToken.word,
      RULE_STATUSES.map((s) => ({ key: s, label: s, group: s })),
    );
    return err(
      thresholdError(
        `"${statusToken.raw}" is not a status: use red, amber or green.${didYouMean(suggestions)}`,
        suggestions,
      ),
    );
  }
  const status = statusToken.word as RuleStatus;

  const opToken = tokens[kpiEnd + 1];
  const op = OPERATORS[opToken?.word ?? ""];
  if (op === undefined) {
    const what = opToken === undefined ? "Missing the comparison" : `"${opToken.raw}" is not a comparison`;
    return err(thresholdError(`${what}: use <, <=, below, >, >= or above.`));
  }

  let numberAt = kpiEnd + 2;
  let numberText = tokens[numberAt]?.raw ?? "";
  if (tokens[numberAt + 1]?.raw === "%" && !numberText.endsWith("%")) {
    numberText += "%";
    numberAt++;
  }
  if (!NUMBER.test(numberText)) {
    const what = numberText === "" ? "Missing the number" : `"${numberText}" is not a number`;
    return err(thresholdError(`${what}: write a number such as 50, 3.5 or 50%.`));
  }
  const value = Number(numberText.replace(/[,%]/g, "").replace("\u2212", "-"));
  const problem = numberProblem(value);
  if (problem !== null) return err(thresholdError(`"${shortened(numberText)}" ${problem}.`));

  let window: string | null = null;
  const rest = numberAt + 1;
  if (rest < tokens.length) {
    const w = readWindow(tokens, rest);
    if (w instanceof ClgError) return err(w);
    if (w === null || rest + w.used < tokens.length) {
      const extra = joinRaw(tokens.slice(w === null ? rest : rest + w.used));
      return err(thresholdError(`I don't understand "${extra}" at the end.`));
    }
    window = w.window;
  }
  const percent = numberText.endsWith("%");
  return ok({ kind: "threshold", kpi: kpi.slug, status, op, value, ...(percent ? { percent } : {}), window });
}
