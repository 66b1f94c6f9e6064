import { STATUS_LABEL, STATUS_SYMBOL } from "../kpi/status.ts";
import type { KpiRow } from "./message.ts";
import { padEnd, padStart, width, wrap } from "./text-layout.ts";

const GAP = "  ";

/**
 * KPI rows as aligned columns: status (symbol and word, so colour is never the only signal), name,
 * value (right-aligned), delta, target. When a row would pass `columns`, its target moves to the next
 * line; notes always go on their own line under the name.
 */
export function renderKpiRows(rows: readonly KpiRow[], columns: number): string[] {
  if (rows.length === 0) return ["(no KPIs)"];
  const status = rows.map((r) => `${STATUS_SYMBOL[r.status]} ${STATUS_LABEL[r.status]}`);
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
    if (deltaW > 0) cells.push(padEnd(row.delta ?? "", deltaW));
    const main = cells.join(GAP).trimEnd();
    const withTarget = row.target === null ? main : `${cells.join(GAP)}${GAP}${row.target}`;
    if (row.target === null || width(withTarget) <= columns) {
      lines.push(withTarget.trimEnd());
    } else {
      lines.push(main, ...wrap(row.target, columns, indent));
    }
    if (row.note !== null) lines.push(...wrap(`↳ ${row.note}`, columns, indent));
  });
  return lines;
}
