import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  ImageBlock,
  KnownBlock,
  MrkdwnElement,
  SectionBlock,
  Button as SlackButton,
} from "@slack/types";
import { chartHash } from "../charts/chart-hash.ts";
import type { ChartRef } from "../charts/chart-request.ts";
import { statusMark } from "../kpi/status.ts";
import { isNoChange } from "../messages/format.ts";
import type { Block, Button, KpiRow, Message } from "../messages/message.ts";
import { SLACK_LIMITS as L } from "./block-kit-limits.ts";
import { splitText, toMrkdwn, toPlain, truncate } from "./mrkdwn.ts";

/** One Slack message: the fallback / notification `text` and its blocks. */
export interface SlackMessagePart {
  text: string;
  blocks: KnownBlock[];
}

export interface BlockKitOptions {
  /**
   * Charts already uploaded to Slack: chart id (`RenderedChart.id`, see `chartIdOf`) -> Slack file id
   * (`files.completeUploadExternal`). A chart without a file shows its alt text instead.
   */
  images?: ReadonlyMap<string, string>;
  /** Where the blocks go: a message (50 blocks a part, the default) or a view such as the App Home (100). */
  surface?: "message" | "view";
}

/** Every button's `action_id` starts with this; the rest keeps it unique within a message. */
export const ACTION_ID_PREFIX = "clg:";

/** KPI rows per section: two fields per row (status and name | value and change), ten fields at most. */
const ROWS_PER_SECTION = Math.floor(L.sectionFields / 2);

/** The id of a chart, the same one `RenderedChart.id` carries (content hash of its request). */
export function chartIdOf(chart: ChartRef): string {
  return chartHash(chart.request);
}

/** Whether an `action_id` is one of ours, as a Bolt `app.action()` matcher can check. */
export function isClgActionId(actionId: string): boolean {
  return actionId.startsWith(ACTION_ID_PREFIX);
}

const section = (text: string): SectionBlock => ({ type: "section", text: mrkdwn(text) });
const mrkdwn = (text: string): MrkdwnElement => ({ type: "mrkdwn", text });

/** Slack refuses empty texts: a block with nothing to say is left out (it had nothing to show). */
const blank = (text: string) => text.trim() === "";

function sections(text: string): SectionBlock[] {
  return blank(text)
    ? []
    : splitText(text, L.sectionText)
        .filter((t) => !blank(t))
        .map(section);
}

/** `*text*`, or nothing for an empty text (Slack would show the two asterisks). */
const bold = (text: string) => (blank(text) ? "" : `*${text}*`);

function header(text: string): KnownBlock[] {
  const plain = toPlain(text).replace(/\s+/g, " ").trim();
  if (plain === "") return [];
  const block: HeaderBlock = {
    type: "header",
    text: { type: "plain_text", text: truncate(plain, L.headerText), emoji: true },
  };
  // A header Slack would cut keeps its full words in a section below, so nothing vanishes.
  return plain.length <= L.headerText ? [block] : [block, ...sections(toMrkdwn(text))];
}

function context(text: string): ContextBlock[] {
  const elements = splitText(toMrkdwn(text), L.contextText)
    .filter((t) => !blank(t))
    .map(mrkdwn);
  const blocks: ContextBlock[] = [];
  for (let i = 0; i < elements.length; i += L.contextElements) {
    blocks.push({ type: "context", elements: elements.slice(i, i + L.contextElements) });
  }
  return blocks;
}

/** ↑ for a rise, ↓ for a fall, → for no change; the words of the delta say how much. */
function arrow(delta: string): string {
  if (isNoChange(delta)) return "→";
  return /^[−-]/.test(delta) ? "↓" : "↑";
}

/** Budgets per part of a row, so each field stays within its limit however long the parts are. */
const ROW_BUDGET = { name: 1_000, status: 200, value: 200, delta: 300, target: 600, note: 800 } as const;
const part = (text: string, max: number) => truncate(toMrkdwn(text), max);

function kpiFields(row: KpiRow): MrkdwnElement[] {
  const mark = statusMark(row.status, row.rated);
  const name = part(toPlain(row.name).trim() || row.slug, ROW_BUDGET.name);
  const left = `${mark.symbol} ${bold(name)}\n${part(`${mark.label} · ${row.window}`, ROW_BUDGET.status)}`;
  let right = bold(part(row.formatted.trim() || "—", ROW_BUDGET.value));
  if (row.delta !== null) right += `  ${arrow(row.delta)} ${part(row.delta, ROW_BUDGET.delta)}`;
  if (row.target !== null) right += `\n${part(row.target, ROW_BUDGET.target)}`;
  if (row.note !== null) right += `\n↳ ${part(row.note, ROW_BUDGET.note)}`;
  return [mrkdwn(truncate(left, L.fieldText)), mrkdwn(truncate(right, L.fieldText))];
}

function kpis(rows: readonly KpiRow[]): SectionBlock[] {
  if (rows.length === 0) return [section("_(no KPIs)_")];
  const blocks: SectionBlock[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_SECTION) {
    blocks.push({ type: "section", fields: rows.slice(i, i + ROWS_PER_SECTION).flatMap(kpiFields) });
  }
  return blocks;
}

function fields(list: readonly { label: string; value: string }[]): SectionBlock[] {
  const elements = list
    .filter((f) => !blank(f.label) || !blank(f.value))
    .map((f) => {
      const label = bold(part(toPlain(f.label).trim(), 200));
      const value = truncate(toMrkdwn(f.value), L.fieldText - 210);
      return mrkdwn(label === "" ? value : blank(value) ? label : `${label}\n${value}`);
    });
  const blocks: SectionBlock[] = [];
  for (let i = 0; i < elements.length; i += L.sectionFields) {
    blocks.push({ type: "section", fields: elements.slice(i, i + L.sectionFields) });
  }
  return blocks;
}

function chart(ref: ChartRef, opts: BlockKitOptions): KnownBlock[] {
  const fileId = opts.images?.get(chartIdOf(ref));
  const alt = toPlain(ref.altText).trim() || ref.request.title;
  if (fileId === undefined) return context(`:bar_chart: ${alt}`);
  const image: ImageBlock = {
    type: "image",
    slack_file: { id: fileId },
    alt_text: truncate(alt, L.imageAltText),
    title: { type: "plain_text", text: truncate(ref.request.title || " ", L.imageTitle), emoji: true },
  };
  return [image];
}

/** Numbers buttons across the whole message, so every `action_id` is unique within it. */
interface Counter {
  next: number;
}

function actionId(n: number, command: string): string {
  const words = command
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${ACTION_ID_PREFIX}${n}:${words}`.slice(0, L.actionId);
}

function actions(buttons: readonly Button[], counter: Counter): KnownBlock[] {
  const elements: SlackButton[] = [];
  // A command too long for a button's value is shown as text, never dropped.
  const tooLong: Button[] = [];
  for (const b of buttons) {
    if (blank(b.command)) continue;
    if (b.command.length > L.buttonValue) {
      tooLong.push(b);
      continue;
    }
    const n = counter.next++;
    elements.push({
      type: "button",
      action_id: actionId(n, b.command),
      text: {
        type: "plain_text",
        text: truncate(toPlain(b.label).trim() || b.command.trim(), L.buttonText),
        emoji: true,
      },
      value: b.command,
      ...(b.style ? { style: b.style } : {}),
    });
  }
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < elements.length; i += L.actionsElements) {
    const block: ActionsBlock = {
      type: "actions",
      block_id: `clg-actions-${blocks.length}-${counter.next}`.slice(0, L.blockId),
      elements: elements.slice(i, i + L.actionsElements),
    };
    blocks.push(block);
  }
  for (const b of tooLong) blocks.push(...context(`${toPlain(b.label)}: ${b.command}`));
  return blocks;
}

/** One model block as Slack blocks (a long one becomes several, each within Slack's limits). */
function renderBlock(block: Block, opts: BlockKitOptions, counter: Counter): KnownBlock[] {
  switch (block.type) {
    case "header":
      return header(block.text);
    case "text":
      return sections(toMrkdwn(block.text));
    case "kpis":
      return kpis(block.rows);
    case "fields":
      return fields(block.fields);
    case "chart":
      return chart(block.chart, opts);
    case "actions":
      return actions(block.buttons, counter);
    case "context":
      return context(block.text);
    case "divider":
      return [{ type: "divider" }];
  }
}

/** Blocks that introduce what follows: a part never ends on one of them. */
const leadsIn = (b: KnownBlock) => b.type === "header" || b.type === "divider";

/**
 * Packs blocks into parts of at most `max` blocks, on block boundaries (a KPI row is never split: its
 * fields live in one section). Each part after the first starts with a context line saying so.
 */
function paginate(blocks: KnownBlock[], max: number): KnownBlock[][] {
  if (blocks.length <= max) return [blocks];
  const room = max - 1;
  const parts: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  for (const block of blocks) {
    if (current.length >= (parts.length === 0 ? max : room)) {
      const carried: KnownBlock[] = [];
      while (carried.length < 3 && current.length > 1 && leadsIn(current[current.length - 1] as KnownBlock)) {
        carried.unshift(current.pop() as KnownBlock);
      }
      parts.push(current);
      current = carried;
    }
    current.push(block);
  }
  parts.push(current);
  return parts.map((p, i) =>
    i === 0
      ? p
      : [{ type: "context", elements: [mrkdwn(`_continued (${i + 1} of ${parts.length})_`)] }, ...p],
  );
}

/**
 * The message model as Slack Block Kit: one part per Slack message (usually one; long boards and digests
 * become several). Pure: no I/O and no SDK at run time. Every text is escaped for mrkdwn and every limit
 * of `SLACK_LIMITS` holds by construction; the fallback `text` (the summary) is always set.
 */
export function toBlockKit(message: Message, opts: BlockKitOptions = {}): SlackMessagePart[] {
  const counter: Counter = { next: 0 };
  const summary = message.summary.trim() || "clg";
  const rendered = message.blocks.flatMap((b) => renderBlock(b, opts, counter));
  const blocks = rendered.length === 0 ? sections(toMrkdwn(summary)) : rendered;
  const parts = paginate(blocks, opts.surface === "view" ? L.blocksPerView : L.blocksPerMessage);
  const text = toMrkdwn(toPlain(summary).replace(/\s+/g, " "));
  return parts.map((blocks, i) => {
    const suffix = parts.length > 1 ? ` (${i + 1} of ${parts.length})` : "";
    return { text: `${truncate(text, L.fallbackText - suffix.length)}${suffix}`, blocks };
  });
}
