import type { Block, Message } from "./message.ts";
import { renderKpiRows } from "./render-kpi-rows.ts";
import { padEnd, renderBold, width, wrap } from "./text-layout.ts";

export interface TextOptions {
  /** Line width to wrap to; 80 unless told. */
  width?: number;
  /** Show `**bold**` as terminal bold; otherwise the asterisks are dropped and the words stay. */
  ansi?: boolean;
}

function boldBlock(block: Block, ansi: boolean): Block {
  const b = (t: string) => renderBold(t, ansi);
  switch (block.type) {
    case "header":
    case "text":
    case "context":
      return { ...block, text: b(block.text) };
    case "fields":
      return { ...block, fields: block.fields.map((f) => ({ label: b(f.label), value: b(f.value) })) };
    case "kpis":
      return {
        ...block,
        rows: block.rows.map((r) => ({ ...r, name: b(r.name), note: r.note === null ? null : b(r.note) })),
      };
    default:
      return block;
  }
}

function renderBlock(block: Block, columns: number): string[] {
  switch (block.type) {
    case "header": {
      const lines = wrap(block.text, columns);
      const rule = "═".repeat(Math.min(columns, Math.max(...lines.map(width))));
      return [...lines, rule];
    }
    case "text":
      return wrap(block.text, columns);
    case "kpis":
      return renderKpiRows(block.rows, columns);
    case "fields": {
      const labelW = Math.max(0, ...block.fields.map((f) => width(f.label) + 1));
      return block.fields.flatMap((f) => {
        const label = padEnd(`${f.label}:`, labelW);
        const [first = "", ...rest] = wrap(f.value, columns - labelW - 1);
        return [`${label} ${first}`.trimEnd(), ...rest.map((l) => `${" ".repeat(labelW + 1)}${l}`)];
      });
    }
    case "chart":
      return wrap(`[chart: ${block.chart.altText}]`, columns);
    case "actions":
      return block.buttons.map((b) => `→ ${b.label}: ${b.command}`);
    case "context":
      return wrap(block.text, columns);
    case "divider":
      return ["─".repeat(Math.min(columns, 40))];
  }
}

/**
 * The message as plain text, for `clg ask`, the console sink and logs. Blocks are separated by a blank
 * line, except that consecutive context lines stay together as a footer.
 */
export function renderText(message: Message, opts: TextOptions = {}): string {
  const columns = Math.max(20, opts.width ?? 80);
  if (message.blocks.length === 0) return renderBold(message.summary, opts.ansi ?? false);
  const out: string[] = [];
  message.blocks.forEach((block, i) => {
    const previous = message.blocks[i - 1];
    if (i > 0 && !(block.type === "context" && previous?.type === "context")) out.push("");
    out.push(...renderBlock(boldBlock(block, opts.ansi ?? false), columns));
  });
  return out.join("\n");
}
