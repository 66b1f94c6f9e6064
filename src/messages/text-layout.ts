import stringWidth from "string-width";

/** Columns a string takes in a terminal: wide CJK counts 2, combining marks and ANSI codes 0. */
export function width(text: string): number {
  return stringWidth(text);
}

export function padEnd(text: string, columns: number): string {
  return text + " ".repeat(Math.max(0, columns - width(text)));
}

export function padStart(text: string, columns: number): string {
  return " ".repeat(Math.max(0, columns - width(text))) + text;
}

/** Word-wraps each paragraph to `columns`; a word longer than a line stays whole rather than being cut. */
export function wrap(text: string, columns: number, indent = ""): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    // A paragraph's own leading spaces (an indented example) carry over to its wrapped lines.
    const lead = indent + (/^ */.exec(paragraph)?.[0] ?? "");
    let line = "";
    for (const word of paragraph.trimStart().split(/ +/)) {
      if (line !== "" && width(line) + 1 + width(word) > columns - width(lead)) {
        lines.push(lead + line);
        line = word;
      } else {
        line = line === "" ? word : `${line} ${word}`;
      }
    }
    lines.push(lead + line);
  }
  return lines;
}

/** `**bold**` is the model's only markup: ANSI bold for a terminal, plain words otherwise. */
export function renderBold(text: string, ansi: boolean): string {
  return text.replace(/\*\*([\s\S]+?)\*\*/g, (_m, inner: string) =>
    ansi ? `\u001b[1m${inner}\u001b[22m` : inner,
  );
}
