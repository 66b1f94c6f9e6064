import { commandText } from "../../commands/command-text.ts";
import {
  type Evaluation,
  type KpiDefinition,
  parseSegmentKey,
  STATUS_LABEL,
  STATUS_SYMBOL,
  type Status,
} from "../../kpi/index.ts";
import { formatValue } from "../../messages/format.ts";
import type { Message } from "../../messages/message.ts";
import type { Snapshot } from "../snapshot.ts";
import { trendChart } from "./chart-builders.ts";
import { anomalyText, forecastText, kpiRow } from "./kpi-row.ts";
import { asOfLine, rowFor } from "./shared.ts";

export type AlertEvent =
  | { kind: "status"; from: Status; to: Status }
  | { kind: "anomaly" }
  | { kind: "forecast" };

const WORSE: Record<Status, number> = { green: 0, amber: 1, red: 2, no_data: 1, error: 1 };

/** One alert: what happened, the number, the trend, and what to do next (look closer, snooze). */
export function composeAlert(
  def: KpiDefinition,
  e: Evaluation,
  event: AlertEvent,
  snapshot: Snapshot,
  locale: string,
): Message {
  const segment = parseSegmentKey(snapshot.segment);
  const name = segment ? `${def.name} (${segment.dimension} ${segment.value})` : def.name;
  const row = {
    ...kpiRow(def, e, { ...rowFor(snapshot, def, e.window, locale), storedStatus: e.status }),
    name,
  };
  let headline: string;
  let tone: Message["tone"] = "warning";
  if (event.kind === "status") {
    const better = WORSE[event.to] < WORSE[event.from];
    tone = better ? "info" : "warning";
    headline = `${STATUS_SYMBOL[event.to]} ${name} ${better ? "recovered to" : "turned"} ${STATUS_LABEL[event.to]} (was ${STATUS_LABEL[event.from]})`;
  } else if (event.kind === "anomaly") {
    headline = `${STATUS_SYMBOL.amber} ${name} looks unusual`;
  } else {
    headline = `${STATUS_SYMBOL.amber} ${name} is on course to cross a threshold`;
  }
  const detail =
    event.kind === "anomaly"
      ? anomalyText(def, e)
      : event.kind === "forecast"
        ? forecastText(def, e)
        : e.diagnostic.why;
  return {
    summary: `${headline}: ${formatValue(def, row.value, locale)} ${e.label}`,
    tone,
    blocks: [
      { type: "header", text: headline },
      { type: "kpis", rows: [row] },
      { type: "text", text: detail.charAt(0).toUpperCase() + detail.slice(1) },
      { type: "chart", chart: trendChart(def, e, snapshot, row.status, row.formatted) },
      {
        type: "actions",
        buttons: [
          {
            label: "Details",
            command: commandText({
              kind: "kpi",
              kpi: def.slug,
              window: e.window,
              compare: "previous",
              by: null,
              segment: segment ? snapshot.segment : null,
            }),
            style: "primary",
          },
          ...def.dimensions
            .slice(0, 1)
            .map((d) => ({ label: `By ${d}`, command: `${def.slug} ${e.window} by ${d}` })),
          { label: "Snooze 1 day", command: `snooze ${def.slug} 1d` },
        ],
      },
      { type: "context", text: asOfLine(snapshot, [def]) },
    ],
  };
}
