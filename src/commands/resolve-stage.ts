import { ClgError } from "../errors.ts";
import { STAGE_LABELS, STAGES, type Stage } from "../kpi/stage.ts";
import { matchPrefix } from "./resolve-kpi.ts";
import { type Candidate, closest, didYouMean } from "./suggest.ts";
import { normalizePhrase, type Token } from "./tokenize.ts";

/** Words people use for a stage besides its name. */
const STAGE_ALIASES: Record<string, Stage> = {
  "first value": "activation",
  cs: "customer_success",
  success: "customer_success",
  retention: "continued_value",
  expansion: "value_growth",
};

const STAGE_PHRASES = new Map<string, Stage>([
  ...Object.entries(STAGE_ALIASES),
  ...STAGES.map((s) => [normalizePhrase(s), s] as const),
  ...STAGES.map((s) => [normalizePhrase(STAGE_LABELS[s]), s] as const),
]);

const STAGE_CANDIDATES: Candidate<Stage>[] = STAGES.map((s) => ({
  key: normalizePhrase(s),
  label: s,
  group: s,
}));

export function stageFromPhrase(phrase: string): Stage | undefined {
  return STAGE_PHRASES.get(normalizePhrase(phrase));
}

export function matchStagePrefix(tokens: readonly Token[], start: number, end?: number) {
  return matchPrefix(tokens, start, (p) => STAGE_PHRASES.get(p), end);
}

export function stageSuggestions(phrase: string): string[] {
  return closest(normalizePhrase(phrase), STAGE_CANDIDATES);
}

export function unknownStageError(phrase: string): ClgError {
  const suggestions = stageSuggestions(phrase);
  const message =
    phrase.trim().length === 0 ? "Which stage?" : `No stage "${phrase}".${didYouMean(suggestions)}`;
  return new ClgError("clg_unknown_stage", message, {
    hint: `The stages are: ${STAGES.join(", ")}.`,
    suggestions,
  });
}
