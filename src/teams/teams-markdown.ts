/**
 * Text for a Teams TextBlock or Fact. Teams reads a subset of Markdown there (bold, italic, strike,
 * code, links, lists, headings and quotes at a line start); message text is plain apart from `**bold**`,
 * so what Markdown could read as markup is escaped with a backslash and the model's `**bold**` pairs are
 * kept. Only what can start markup is escaped, so numbers such as "46.2%" stay as they are.
 */
const INLINE = /[\\`*_[\]~]/g;
/** A line that would start a heading, quote, list item or rule. */
const LINE_START = /^(\s*)(#{1,6}(?=\s|$)|>|[+-](?=\s|$|--)|\d+[.)](?=\s|$))/gm;

export function escapeMarkdown(text: string): string {
  return text
    .replace(INLINE, (c) => `\\${c}`)
    .replace(
      LINE_START,
      (_m, space: string, mark: string) => `${space}${mark.replace(/[#>+\-.)]$/, (c) => `\\${c}`)}`,
    );
}

/** Plain text with the model's `**bold**` kept as Markdown bold and everything else escaped. */
export function teamsText(text: string): string {
  const parts = text.split("**");
  // An odd number of `**` leaves the last one unpaired: it is text, not markup.
  const paired = parts.length % 2 === 1;
  return parts
    .map((part, i) => {
      const escaped = escapeMarkdown(part);
      if (i === 0) return escaped;
      const opensOrCloses = paired || i < parts.length - 1;
      return `${opensOrCloses ? "**" : "\\*\\*"}${escaped}`;
    })
    .join("");
}

/** Text without markup at all (titles of charts and facts, alt text), cut to `max` characters. */
export function plainText(text: string, max: number): string {
  const flat = text.replaceAll("**", "").replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
