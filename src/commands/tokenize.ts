/** One word of a command: `raw` keeps the user's case (segment values, time zones); `word` is for matching. */
export interface Token {
  raw: string;
  word: string;
  quoted: boolean;
}

/** Longer input is refused before any work is done on it. */
export const MAX_COMMAND_LENGTH = 1000;

const SMART_QUOTES: Record<string, string> = {
  "\u201C": '"',
  "\u201D": '"',
  "\u201E": '"',
  "\u00AB": '"',
  "\u00BB": '"',
  "\u2018": "'",
  "\u2019": "'",
  "\u201A": "'",
};

// A leading Slack mention (`<@U123>`, `<@U123|clg>`), Teams mention (`<at>clg</at>`) or plain `@clg`.
const LEADING_MENTION = /^\s*(?:<@[^>\s]*>|<at>[^<]*<\/at>|@clg\b)\s*/i;
const LEADING_SLASH = /^\s*\/clg\b\s*/i;

/**
 * Turns what a chat platform delivers into plain command text: Unicode normalised (full-width letters,
 * non-breaking spaces), smart quotes straightened, Slack's HTML escapes decoded, bot mentions and a
 * leading `/clg` removed, trailing `?` `!` `.` dropped.
 */
export function normalizeInput(input: string): string {
  let text = input.normalize("NFKC").replace(/[\u201C\u201D\u201E\u00AB\u00BB\u2018\u2019\u201A]/g, (q) => {
    return SMART_QUOTES[q] ?? q;
  });
  // Control and zero-width characters carry no meaning here and confuse matching.
  text = text.replace(/[\p{Cc}\p{Cf}]/gu, " ");
  for (let i = 0; i < 5; i++) {
    const next = text.replace(LEADING_MENTION, "").replace(LEADING_SLASH, "");
    if (next === text) break;
    text = next;
  }
  text = text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/≤/g, "<=")
    .replace(/≥/g, ">=");
  return text.trim().replace(/[?!.]+$/, "");
}

/**
 * Splits command text into words. Double quotes group words ("0 9 * * 1-5"); a single quote groups
 * only at the start of a word, so "customer's" stays one word. Comparison operators are words of their
 * own even when typed without spaces (`<50%`). An unclosed quote runs to the end of the text.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (raw: string, quoted: boolean) => {
    if (raw.length > 0 || quoted) tokens.push({ raw, word: raw.toLowerCase(), quoted });
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const end = text.indexOf(ch, i + 1);
      const stop = end === -1 ? text.length : end;
      push(text.slice(i + 1, stop).trim(), true);
      i = stop + 1;
      continue;
    }
    if (ch === "<" || ch === ">") {
      const op = text[i + 1] === "=" ? `${ch}=` : ch;
      push(op, false);
      i += op.length;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s"<>]/.test(text[j] as string)) j++;
    push(text.slice(i, j), false);
    i = j;
  }
  return tokens;
}

/** Lower-case, with `_`, `-` and runs of spaces read as one space: "First-Value" = "first value". */
export function normalizePhrase(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[_\-\s]+/g, " ")
    .trim();
}

/** The words as typed, one space apart. */
export function joinRaw(tokens: readonly Token[]): string {
  return tokens.map((t) => t.raw).join(" ");
}
