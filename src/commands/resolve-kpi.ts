import { ClgError } from "../errors.ts";
import type { Vocabulary } from "./command.ts";
import { type Candidate, closest, didYouMean } from "./suggest.ts";
import { joinRaw, normalizePhrase, type Token } from "./tokenize.ts";

/** The longest KPI name or alias we try to match, in words. */
const MAX_PHRASE_WORDS = 8;

export interface KpiIndex {
  /** normalised slug / name / alias -> slug */
  phrases: Map<string, string>;
  candidates: Candidate<string>[];
  dimensions: Map<string, readonly string[]>;
}

/**
 * Builds the lookup once per vocabulary. Slugs win over names, names over aliases, when two KPIs
 * share a phrase (a catalog mistake we should not make worse by guessing).
 */
export function indexVocabulary(vocab: Vocabulary): KpiIndex {
  const phrases = new Map<string, string>();
  const candidates: Candidate<string>[] = [];
  const dimensions = new Map<string, readonly string[]>();
  type Entry = Vocabulary["kpis"][number];
  const layers: ((k: Entry) => readonly string[])[] = [(k) => k.aliases, (k) => [k.name], (k) => [k.slug]];
  for (const pick of layers) {
    for (const kpi of vocab.kpis) {
      for (const label of pick(kpi)) {
        const key = normalizePhrase(label);
        if (key.length === 0) continue;
        phrases.set(key, kpi.slug);
        candidates.push({ key, label: label.toLowerCase(), group: kpi.slug });
      }
    }
  }
  for (const kpi of vocab.kpis) dimensions.set(kpi.slug, kpi.dimensions);
  // Offer slugs first when several labels of one KPI are equally close.
  candidates.reverse();
  return { phrases, candidates, dimensions };
}

export interface PhraseMatch<T> {
  value: T;
  /** How many tokens the match used. */
  used: number;
}

/** The longest run of tokens from `start` (at most up to `end`) that names something in `lookup`. */
export function matchPrefix<T>(
  tokens: readonly Token[],
  start: number,
  lookup: (phrase: string) => T | undefined,
  end = tokens.length,
): PhraseMatch<T> | null {
  const most = Math.min(end - start, MAX_PHRASE_WORDS);
  for (let n = most; n >= 1; n--) {
    const phrase = normalizePhrase(joinRaw(tokens.slice(start, start + n)));
    const value = lookup(phrase);
    if (value !== undefined) return { value, used: n };
  }
  return null;
}

export function matchKpiPrefix(index: KpiIndex, tokens: readonly Token[], start: number, end?: number) {
  return matchPrefix(tokens, start, (p) => index.phrases.get(p), end);
}

export function kpiSuggestions(index: KpiIndex, phrase: string): string[] {
  return closest(normalizePhrase(phrase), index.candidates);
}

export function unknownKpiError(index: KpiIndex, phrase: string): ClgError {
  const suggestions = kpiSuggestions(index, phrase);
  return new ClgError("clg_unknown_kpi", `No KPI "${phrase}".${didYouMean(suggestions)}`, {
    hint: "Type `list` to see every KPI.",
    suggestions,
  });
}

/** Resolves a whole phrase (every token from start to end) to a KPI slug, or says what is close. */
export function resolveKpiPhrase(
  index: KpiIndex,
  tokens: readonly Token[],
  start: number,
  end = tokens.length,
): { ok: true; slug: string } | { ok: false; error: ClgError } {
  const text = joinRaw(tokens.slice(start, end));
  const slug = index.phrases.get(normalizePhrase(text));
  if (slug !== undefined) return { ok: true, slug };
  return { ok: false, error: unknownKpiError(index, text) };
}
