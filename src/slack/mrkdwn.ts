/**
 * Text for Slack's `mrkdwn`: the three characters Slack gives meaning to (`&`, `<`, `>`) are escaped, so a
 * KPI named `<!channel>` cannot ping a channel and `<@U1>` cannot mention anyone; the model's only
 * markup, `**bold**`, becomes Slack's `*bold*`.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Model text (plain, with `**bold**`) as mrkdwn. */
export function toMrkdwn(text: string): string {
  return escapeMrkdwn(text).replace(/\*\*([\s\S]+?)\*\*/g, "*$1*");
}

/** Model text for a `plain_text` object (headers, buttons, alt text): the bold markers are dropped. */
export function toPlain(text: string): string {
  return text.replace(/\*\*([\s\S]+?)\*\*/g, "$1");
}

const ELLIPSIS = "…";

/**
 * Cuts `text` to at most `max` characters, ending in "…" when anything was cut. The cut never splits a
 * surrogate pair or an escape such as `&amp;`.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${cutPoint(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

/** The longest prefix of `text` within `max` characters that ends on a safe boundary. */
function cutPoint(text: string, max: number): string {
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const amp = text.lastIndexOf("&", end - 1);
  if (amp !== -1 && amp > end - 6) {
    const semi = text.indexOf(";", amp);
    if (semi === -1 || semi >= end) end = amp;
  }
  return text.slice(0, end);
}

/**
 * Splits mrkdwn into pieces of at most `max` characters: at paragraph breaks when it can, then at line
 * breaks, then at spaces; only a single word longer than `max` is cut (at a safe boundary).
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let at = window.lastIndexOf("\n\n");
    if (at <= 0) at = window.lastIndexOf("\n");
    if (at <= 0) at = window.lastIndexOf(" ");
    if (at <= 0) {
      const head = cutPoint(rest, max) || rest.slice(0, max);
      pieces.push(head);
      rest = rest.slice(head.length);
    } else {
      pieces.push(rest.slice(0, at).trimEnd());
      rest = rest.slice(at).replace(/^\s+/, "");
    }
  }
  if (rest !== "" || pieces.length === 0) pieces.push(rest);
  return pieces.filter((p, i) => p !== "" || i === 0);
}
