import { ClgError } from "../errors.ts";
import { windowSchema } from "../kpi/window.ts";
import type { Token } from "./tokenize.ts";

const CALENDAR_WORDS: Record<string, string> = {
  week: "week",
  month: "month",
  quarter: "quarter",
  wtd: "week",
  mtd: "month",
  qtd: "quarter",
};
const DAY_UNITS = new Set(["d", "day", "days"]);
const LEADERS = new Set(["this", "last", "past"]);

export interface WindowMatch {
  window: string;
  used: number;
}

/**
 * Reads a window at `start`: `28d`, `28 days`, `last 28 days`, `week`, `this month`, `mtd`.
 * Returns null when the words there are not a window at all, and an error when they are one in
 * form but out of range (`0d`, `1000d`).
 */
export function readWindow(tokens: readonly Token[], start: number): WindowMatch | ClgError | null {
  let i = start;
  const lead = tokens[i]?.word;
  if (lead !== undefined && LEADERS.has(lead) && tokens[i + 1] !== undefined) i++;
  const word = tokens[i]?.word;
  if (word === undefined) return null;
  const calendar = CALENDAR_WORDS[word];
  if (calendar !== undefined) return { window: calendar, used: i - start + 1 };
  let days: string | undefined;
  let used = i - start + 1;
  const compact = /^(\d+)(?:d|days?)$/.exec(word);
  if (compact) days = compact[1];
  else if (/^\d+$/.test(word) && DAY_UNITS.has(tokens[i + 1]?.word ?? "")) {
    days = word;
    used++;
  }
  if (days === undefined) return null;
  if (Number(days) > 730) return badWindow(word, "rolling windows are at most 730d");
  const window = `${Number(days)}d`;
  const parsed = windowSchema.safeParse(window);
  if (!parsed.success) return badWindow(word, parsed.error.issues[0]?.message);
  return { window, used };
}

/** A word that looks meant as a window (starts with a digit) but is not one. */
export function looksLikeWindow(word: string): boolean {
  return /^\d/.test(word);
}

export function badWindow(word: string, why?: string): ClgError {
  return new ClgError("clg_bad_window", `"${word}" is not a window${why ? `: ${why}` : ""}.`, {
    hint: "Windows: `7d`, `28d`, `90d` (any `<N>d` up to 730d), `week`, `month`, `quarter`, `this month`.",
  });
}
