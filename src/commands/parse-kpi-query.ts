import { ClgError, err, ok, type Result } from "../errors.ts";
import type { Command } from "./command.ts";
import { usageHint } from "./grammar.ts";
import { checkDimension, dimensionSlug, parseSegment } from "./parse-segment.ts";
import { badWindow, looksLikeWindow, readWindow } from "./parse-window.ts";
import { type KpiIndex, matchPrefix } from "./resolve-kpi.ts";
import { closest, didYouMean } from "./suggest.ts";
import { joinRaw, type Token } from "./tokenize.ts";

type KpiCommand = Extract<Command, { kind: "kpi" }>;

const COMPARE_WORDS: Record<string, "previous" | "target"> = {
  previous: "previous",
  prev: "previous",
  last: "previous",
  before: "previous",
  target: "target",
  goal: "target",
  plan: "target",
};
const OPTION_WORDS = ["vs", "by", "for", "week", "month", "quarter", "this"];

/** Words that end a `for <dimension>:<value>` run that was typed without quotes. */
function endsSegment(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i] as Token;
  if (t.quoted) return false;
  return ["vs", "versus", "by", "for"].includes(t.word) || readWindow(tokens, i) !== null;
}

/** Reads the options after a KPI name: `[window] [vs previous|vs target] [by <dim>] [for <dim>:<value>]`. */
export function parseKpiQuery(
  index: KpiIndex,
  slug: string,
  tokens: readonly Token[],
  start: number,
): Result<Command, ClgError> {
  const command: KpiCommand = {
    kind: "kpi",
    kpi: slug,
    window: null,
    compare: "previous",
    by: null,
    segment: null,
  };
  const dimensions = index.dimensions.get(slug) ?? [];
  const fail = (message: string, suggestions: string[] = []) =>
    err(new ClgError("clg_unknown_command", message, { hint: usageHint("kpi"), suggestions }));
  let i = start;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (t.word === "vs" || t.word === "versus" || t.word === "compared") {
      let j = i + 1;
      if (t.word === "compared" && tokens[j]?.word === "to") j++;
      const target = COMPARE_WORDS[tokens[j]?.word ?? ""];
      if (target === undefined) return fail(`Compare with what? Write \`vs previous\` or \`vs target\`.`);
      command.compare = target;
      i = j + 1;
      continue;
    }
    if (t.word === "by") {
      if (tokens[i + 1] === undefined)
        return err(new ClgError("clg_bad_dimension", `Break ${slug} down by what?`));
      // Dimensions are slugs, so "by account owner" may name account_owner.
      const words = matchPrefix(tokens, i + 1, (p) => {
        const d = dimensionSlug(p);
        return dimensions.includes(d) ? d : undefined;
      });
      const checked = checkDimension(
        slug,
        words === null ? (tokens[i + 1] as Token).raw : words.value,
        dimensions,
      );
      if (!checked.ok) return err(checked.error);
      command.by = checked.dimension;
      i += 1 + (words?.used ?? 1);
      continue;
    }
    if (t.word === "for") {
      let j = i + 1;
      while (j < tokens.length && (j === i + 1 || !endsSegment(tokens, j))) j++;
      const text = joinRaw(tokens.slice(i + 1, j));
      const parsed = parseSegment(slug, text, dimensions);
      if (!parsed.ok) return err(parsed.error);
      command.segment = parsed.segment;
      i = j;
      continue;
    }
    const window = readWindow(tokens, i);
    if (window instanceof ClgError) return err(window);
    if (window !== null) {
      if (command.window !== null)
        return fail(`Two windows given ("${command.window}" and "${window.window}"): keep one.`);
      command.window = window.window;
      i += window.used;
      continue;
    }
    if (looksLikeWindow(t.word)) return err(badWindow(t.raw));
    const suggestions = closest(
      t.word,
      OPTION_WORDS.map((w) => ({ key: w, label: w, group: w })),
    );
    return fail(`I don't understand "${t.raw}" after ${slug}.${didYouMean(suggestions)}`, suggestions);
  }
  return ok(command);
}
