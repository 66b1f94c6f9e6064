import { chartHash } from "../charts/chart-hash.ts";
import type { ChartRef } from "../charts/chart-request.ts";
import { statusMark } from "../kpi/status.ts";
import type { Block, Button, KpiRow, Message } from "../messages/message.ts";
import { type CardBudget, COMPACT_BUDGET, FULL_BUDGET, TEAMS_CARD_LIMITS } from "./card-limits.ts";
import type { AdaptiveCardJson, CardElement } from "./card-types.ts";
import { nativeChart } from "./native-chart.ts";
import { plainText, teamsText } from "./teams-markdown.ts";

export type { AdaptiveCardJson, CardElement } from "./card-types.ts";
export { ADAPTIVE_CARD_CONTENT_TYPE } from "./card-types.ts";

/** The verb every button's `Action.Execute` carries; the command text travels in `data.command`. */
export const CARD_ACTION_VERB = "clg";

export interface CardOptions {
  /**
   * The HTTPS address of a chart's PNG (`chartId` is the chart's content hash, the `id` of its
   * `RenderedChart`), or null when there is none: the chart is then its alt text.
   */
  chartUrl?: (chartId: string, chart: ChartRef) => string | null;
  /** Native Teams charts for trend, breakdown and NPS charts (default true); false: PNG only. */
  nativeCharts?: boolean;
}

const SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";

/** Text colour of a status: attention / warning / good, and no colour when unrated or without data. */
export function statusColor(status: KpiRow["status"], rated: boolean): string | undefined {
  if (status === "green") return rated ? "Good" : undefined;
  if (status === "amber") return "Warning";
  if (status === "red" || status === "error") return "Attention";
  return undefined;
}

function textBlock(text: string, extra: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text, wrap: true, ...extra };
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function moreLine(count: number, what: string): CardElement {
  return textBlock(`… ${count} more ${what}`, { isSubtle: true, size: "Small", spacing: "Small" });
}

function kpiRow(row: KpiRow): CardElement {
  const mark = statusMark(row.status, row.rated);
  const color = statusColor(row.status, row.rated);
  const left: CardElement[] = [textBlock(`**${teamsText(row.name)}** · ${teamsText(row.window)}`)];
  if (row.delta !== null) {
    const deltaColor = row.deltaGood === null ? undefined : row.deltaGood ? "Good" : "Attention";
    left.push(
      textBlock(teamsText(row.delta), {
        size: "Small",
        spacing: "None",
        ...(deltaColor ? { color: deltaColor } : { isSubtle: true }),
      }),
    );
  }
  for (const line of [row.target, row.note]) {
    if (line !== null)
      left.push(textBlock(teamsText(line), { size: "Small", isSubtle: true, spacing: "None" }));
  }
  const right: CardElement[] = [
    textBlock(teamsText(row.formatted), {
      weight: "Bolder",
      horizontalAlignment: "Right",
      ...(color ? { color } : {}),
    }),
    textBlock(teamsText(`${mark.symbol} ${mark.label}`), {
      size: "Small",
      spacing: "None",
      horizontalAlignment: "Right",
      ...(color ? { color } : { isSubtle: true }),
    }),
  ];
  return {
    type: "ColumnSet",
    spacing: "Small",
    columns: [
      { type: "Column", width: "stretch", items: left },
      { type: "Column", width: "auto", items: right },
    ],
  };
}

function action(button: Button): CardElement {
  // A button always has a visible title: its label, or else the command it runs.
  const title = plainText(button.label, 60) || plainText(button.command, 60) || "…";
  const data = { command: button.command };
  const style =
    button.style === "primary" ? "positive" : button.style === "danger" ? "destructive" : undefined;
  return {
    type: "Action.Execute",
    title,
    verb: CARD_ACTION_VERB,
    data,
    ...(style ? { style } : {}),
    fallback: { type: "Action.Submit", title, data, ...(style ? { style } : {}) },
  };
}

function chartElements(chart: ChartRef, opts: CardOptions, budget: CardBudget): CardElement[] {
  const alt = plainText(chart.altText, 400);
  const url = opts.chartUrl?.(chartHash(chart.request), chart) ?? null;
  const asText = textBlock(teamsText(`Chart: ${alt}`), { isSubtle: true });
  const image: CardElement =
    url === null
      ? asText
      : { type: "Image", url, altText: alt, size: "Stretch", msTeams: { allowExpand: true } };
  if (opts.nativeCharts === false) return [image];
  const native = nativeChart(chart, budget, image);
  if (native === null) return [image];
  return native.omitted > 0 ? [native.element, moreLine(native.omitted, "bars not drawn")] : [native.element];
}

function blockElements(block: Block, message: Message, opts: CardOptions, budget: CardBudget): CardElement[] {
  switch (block.type) {
    case "header":
      return [
        textBlock(teamsText(cut(block.text, 300)), {
          size: "Medium",
          weight: "Bolder",
          style: "heading",
          // Errors read in the attention colour; a warning's header keeps its status symbol, not a tint.
          ...(message.tone === "error" ? { color: "Attention" } : {}),
        }),
      ];
    case "text":
      return [textBlock(teamsText(cut(block.text, budget.textChars)))];
    case "context":
      return [textBlock(teamsText(cut(block.text, budget.textChars)), { isSubtle: true, size: "Small" })];
    case "kpis": {
      const shown = block.rows.slice(0, budget.kpiRows).map(kpiRow);
      const rest = block.rows.length - shown.length;
      return rest > 0 ? [...shown, moreLine(rest, rest === 1 ? "KPI" : "KPIs")] : shown;
    }
    case "fields": {
      const facts = block.fields.slice(0, budget.facts).map((f) => ({
        title: teamsText(plainText(f.label, 120)),
        value: teamsText(cut(f.value, 500)),
      }));
      const rest = block.fields.length - facts.length;
      const set: CardElement = { type: "FactSet", facts };
      return rest > 0 ? [set, moreLine(rest, "facts")] : [set];
    }
    case "chart":
      return chartElements(block.chart, opts, budget);
    case "actions": {
      const shown = block.buttons.slice(0, budget.buttons);
      const rest = block.buttons.slice(budget.buttons);
      const set: CardElement = { type: "ActionSet", actions: shown.map(action) };
      return rest.length > 0
        ? [set, moreLine(rest.length, `actions: ${rest.map((b) => teamsText(b.command)).join(", ")}`)]
        : [set];
    }
    case "divider":
      return [];
  }
}

function body(message: Message, opts: CardOptions, budget: CardBudget): CardElement[] {
  const out: CardElement[] = [];
  let separate = false;
  for (const block of message.blocks) {
    if (block.type === "divider") {
      separate = out.length > 0;
      continue;
    }
    const elements = blockElements(block, message, opts, budget);
    const [first, ...rest] = elements;
    if (first === undefined) continue;
    out.push(separate ? { ...first, separator: true } : first, ...rest);
    separate = false;
  }
  if (out.length === 0) out.push(textBlock(teamsText(message.summary)));
  if (message.tone === "error" && !message.blocks.some((b) => b.type === "header")) {
    const [first] = out;
    if (first?.type === "TextBlock") out[0] = { ...first, color: "Attention" };
  }
  return out;
}

export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), "utf8");
}

function card(message: Message, elements: CardElement[]): AdaptiveCardJson {
  return {
    type: "AdaptiveCard",
    $schema: SCHEMA,
    version: TEAMS_CARD_LIMITS.version,
    fallbackText: plainText(message.summary, 1_000),
    body: elements,
    msteams: { width: "Full" },
  };
}

/**
 * The message as an Adaptive Card 1.5 for Teams: header, KPI rows with status colour and delta, fields as
 * facts, context in small subtle text, charts (native Teams charts with the PNG as fallback; the board as
 * an image; alt text when there is no image) and buttons (`Action.Execute`, `Action.Submit` as fallback).
 * Cards over the aim size are drawn again with the compact budget; a card still over Teams' limit loses its
 * last elements behind a visible "… N more" line, never silently. Pure: no I/O, no SDK.
 */
export function toAdaptiveCard(message: Message, opts: CardOptions = {}): AdaptiveCardJson {
  const full = card(message, body(message, opts, FULL_BUDGET));
  if (cardBytes(full) <= TEAMS_CARD_LIMITS.aimBytes) return full;
  const compact = card(message, body(message, opts, COMPACT_BUDGET));
  if (cardBytes(compact) <= TEAMS_CARD_LIMITS.maxBytes) return compact;
  const elements = [...compact.body];
  const kept: CardElement[] = [];
  // Keep as many leading elements as fit with room for the notice (a notice is well under 200 bytes).
  const room = TEAMS_CARD_LIMITS.maxBytes - 200 - cardBytes(card(message, []));
  let used = 0;
  for (const element of elements) {
    const size = Buffer.byteLength(JSON.stringify(element), "utf8") + 1;
    if (used + size > room) break;
    kept.push(element);
    used += size;
  }
  return card(message, [
    ...kept,
    moreLine(elements.length - kept.length, "parts not shown (the card is too large for Teams)"),
  ]);
}
