import { distance } from "fastest-levenshtein";
import { ClgError } from "../errors.ts";
import { readWindow } from "./parse-window.ts";
import { type KpiIndex, kpiSuggestions } from "./resolve-kpi.ts";
import { type Candidate, closest, didYouMean } from "./suggest.ts";
import { joinRaw, normalizePhrase, type Token } from "./tokenize.ts";

export const COMMAND_WORDS = [
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
  "ack",
  "share",
] as const;
const COMMAND_CANDIDATES: Candidate<string>[] = COMMAND_WORDS.map((w) => ({ key: w, label: w, group: w }));

/**
 * The first words are neither a command nor a KPI: say which of the two they are most likely a typo of.
 * Words before the first option (`28d`, `by`, `vs`, `for`) are taken as the intended KPI name.
 */
export function unknownFirstWord(index: KpiIndex, tokens: readonly Token[]): ClgError {
  const end = tokens.findIndex(
    (t, i) => i > 0 && (["vs", "by", "for"].includes(t.word) || readWindow(tokens, i) !== null),
  );
  const kpiText = joinRaw(end === -1 ? tokens : tokens.slice(0, end));
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
