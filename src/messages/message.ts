import type { ChartRef } from "../charts/chart-request.ts";
import type { Stage } from "../kpi/stage.ts";
import type { Status } from "../kpi/status.ts";

/**
 * The one message model every feature answers with. Adapters only translate it
 * (text for the console and `clg ask`, Block Kit for Slack, Adaptive Cards for Teams).
 * Text fields are plain text; `**bold**` is the only markup and adapters map it.
 */
export interface KpiRow {
  slug: string;
  name: string;
  stage: Stage;
  window: string;
  value: number | null;
  /** The value as people read it: "46.2%", "$182.4k", "1,204". "—" when there is no value. */
  formatted: string;
  status: Status;
  /**
   * False when the KPI has no threshold for this window: `status` is then "green" only because nothing
   * matched, and every renderer shows it neutral ("– no status"), with no colour.
   */
  rated: boolean;
  /** "+3.1 pp vs previous 28d", "−12% vs previous 7d"; null when there is nothing to compare. */
  delta: string | null;
  /**
   * Whether the change is good news given the KPI's direction (for colour and arrows); null if unknown
   * or when the change rounds to "no change".
   */
  deltaGood: boolean | null;
  /** "on pace for 60% this quarter", "behind by 12%: needs 41 more, 3.2 a day"; null without a target. */
  target: string | null;
  /** Extra line: anomaly, forecast, stale source. */
  note: string | null;
}

export interface Button {
  label: string;
  /** The command text the button runs, in the one command grammar ("activation 28d"). */
  command: string;
  style?: "primary" | "danger";
}

export type Block =
  | { type: "header"; text: string }
  | { type: "text"; text: string }
  | { type: "kpis"; rows: KpiRow[] }
  | { type: "fields"; fields: { label: string; value: string }[] }
  | { type: "chart"; chart: ChartRef }
  | { type: "actions"; buttons: Button[] }
  | { type: "context"; text: string }
  | { type: "divider" };

export interface Message {
  /** One-line summary: notification text and the fallback where blocks cannot be shown. */
  summary: string;
  blocks: Block[];
  /** Errors and warnings are rendered differently (and never as a chart). */
  tone?: "info" | "warning" | "error";
  /**
   * Who an answer is for: only the person who asked (the default; Slack answers privately), or everyone in
   * the channel (`share ...`). Posts the outbox sends always go to the channel.
   */
  audience?: "asker" | "channel";
}
