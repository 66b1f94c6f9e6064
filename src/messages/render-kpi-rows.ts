import { statusMark } from "../kpi/status.ts";
import type { KpiRow } from "./message.ts";
import { padEnd, padStart, width, wrap } from "./text-layout.ts";

const GAP = "  ";

/** `↳ text` wrapped so that continuation lines start under the text, not under the arrow. */
function hanging(marker: string, text: string, columns: number, indent: string): string[] {
  const pad = " ".repeat(width(marker));
  return wrap(text, columns, indent + pad).map((l, i) =>
    i === 0 ? indent + marker + l.slice(indent.length + pad.length) : l,
  );
}

/**
 * KPI rows as aligned columns: status (symbol and word, so colour is never the only signal), name,
 * value (right-aligned), delta, target. When a row would pass `columns`, its target (and then its delta)
 * moves to lines under the name; notes always go on their own line there.
 */
export function renderKpiRows(rows: readonly KpiRow[], columns: number): string[] {
  if (rows.length === 0) return ["(no KPIs)"];
  const status = rows.map((r) => {
    const mark = statusMark(r.status, r.rated);
    return `${mark.symbol} ${mark.label}`;
  });
  const statusW = Math.max(...status.map(width));
  const nameW = Math.max(...rows.map((r) => width(r.name)));
  const valueW = Math.max(...rows.map((r) => width(r.formatted)));
  const deltaW = Math.max(0, ...rows.map((r) => width(r.delta ?? "")));
  const indent = " ".repeat(statusW + GAP.length);
  const lines: string[] = [];
  rows.forEach((row, i) => {
    const cells = [
      padEnd(status[i] as string, statusW),
      padEnd(row.name, nameW),
      padStart(row.formatted, valueW),
    ];
    const head = cells.join(GAP);
    // Columns as long as the line fits; what does not fit goes, in order, to lines under the name.
    const tail = [row.delta === null ? "" : padEnd(row.delta, deltaW), row.target ?? ""];
    let line = head;
    const below: string[] = [];
    for (const part of tail) {
      if (below.length === 0 && width(`${line}${GAP}${part}`.trimEnd()) <= columns)
        line = `${line}${GAP}${part}`;
      else if (part.trim() !== "") below.push(part.trimEnd());
    }
    lines.push(line.trimEnd());
    for (const part of below) lines.push(...wrap(part, columns, indent));
    if (row.note !== null) lines.push(...hanging("↳ ", row.note, columns, indent));
  });
  return lines;
}
