import { defaultWindow, type Evaluation, type KpiDefinition, statusMark } from "../../kpi/index.ts";
import { isCalendarWindow } from "../../kpi/windows.ts";
import type { Block, Button, Message } from "../../messages/message.ts";
import { buildSnapshot, evaluationOf, type Snapshot } from "../snapshot.ts";
import type { AnswerDeps, Asker } from "./answer-context.ts";
import { npsChart, trendChart } from "./chart-builders.ts";
import { kpiRow, pacingText } from "./kpi-row.ts";
import { asOfLine, mustKpi, mustWindow, rowFor } from "./shared.ts";
import { whyStatus } from "./why-status.ts";

export interface KpiQuery {
  kpi: string;
  window: string | null;
  compare: "previous" | "target";
}

function buttons(def: KpiDefinition, window: string, compare: "previous" | "target"): Button[] {
  const out: Button[] = def.windows
    .filter((w) => w !== window)
    .slice(0, 3)
    .map((w) => ({ label: w, command: `${def.slug} ${w}` }));
  if (def.targets.length > 0 && compare !== "target")
    out.push({ label: "vs target", command: `${def.slug} vs target` });
  for (const d of def.dimensions.slice(0, 2))
    out.push({ label: `by ${d}`, command: `${def.slug} ${window} by ${d}` });
  return out;
}

function targetBlocks(def: KpiDefinition, snapshot: Snapshot): Block[] {
  const periods = [...new Set(def.targets.map((t) => t.period))];
  const fields = periods.flatMap((period) => {
    const e = evaluationOf(snapshot, def.slug, period);
    return e?.pacing ? [{ label: `This ${period}`, value: pacingText(def, e.pacing) }] : [];
  });
  if (fields.length === 0) {
    return [
      {
        type: "text",
        text: `${def.name} has no target that applies today. Add one under \`targets\` in the catalog.`,
      },
    ];
  }
  return [{ type: "fields", fields }];
}

/** `/clg activation 28d [vs target]`: the value, its change, status, target pace, a trend chart, and next steps. */
export async function answerKpi(deps: AnswerDeps, asker: Asker, q: KpiQuery): Promise<Message> {
  const def = mustKpi(deps.catalog, q.kpi);
  const window = q.window ?? defaultWindow(def);
  mustWindow(def, window);
  const targetPeriods = q.compare === "target" ? [...new Set(def.targets.map((t) => t.period))] : [];
  const windows = [...new Set([window, ...targetPeriods.filter((p) => isCalendarWindow(p))])];
  const snapshot = await buildSnapshot(deps.db, deps.catalog, {
    kpis: [def.slug],
    windows,
    now: deps.clock.now(),
  });
  const e = evaluationOf(snapshot, def.slug, window) as Evaluation;
  const row = kpiRow(def, e, rowFor(snapshot, def, window, asker.locale));
  const blocks: Block[] = [
    { type: "header", text: `${statusMark(row.status, row.rated).symbol} ${def.name} · ${e.label}` },
    { type: "kpis", rows: [row] },
  ];
  if (q.compare === "target") blocks.push(...targetBlocks(def, snapshot));
  const chart =
    def.aggregation.kind === "distribution" && def.aggregation.statistic === "nps"
      ? npsChart(def, e)
      : trendChart(def, e, snapshot, row.status, row.formatted, row.rated);
  if (chart) blocks.push({ type: "chart", chart });
  blocks.push({
    type: "fields",
    fields: [
      { label: "Window", value: `${e.ranges.current.start} → ${e.ranges.current.end}` },
      { label: "Compared with", value: `${e.ranges.previous.start} → ${e.ranges.previous.end}` },
      { label: "Why this status", value: whyStatus(def, e, asker.locale) },
    ],
  });
  const next = buttons(def, window, q.compare);
  if (next.length > 0) blocks.push({ type: "actions", buttons: next });
  blocks.push({ type: "context", text: asOfLine(snapshot, [def]) });
  const summary = `${def.name} ${e.label}: ${row.formatted}${row.delta ? ` (${row.delta})` : ""}, ${row.status}`;
  return { summary, blocks, tone: row.status === "red" || row.status === "error" ? "warning" : "info" };
}
