import type { Message } from "../messages/message.ts";
import { renderText } from "../messages/render-text.ts";
import type { SlackChart } from "./upload-charts.ts";

/** One Slack message: the notification / fallback text and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: Record<string, unknown>[];
}

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);
const mrkdwn = (text: string) => text.replace(/\*\*(.+?)\*\*/g, "*$1*");
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text: cut(text, 3000) } });

/**
 * The message model as Slack messages: a plain rendering (header, sections, image, buttons, context)
 * within Slack's limits, one message per 50 blocks, the text rendering as every message's fallback.
 */
export function renderForSlack(message: Message, charts: readonly SlackChart[]): SlackMessage[] {
  const blocks: Record<string, unknown>[] = [];
  let chartIndex = 0;
  let buttonIndex = 0;
  for (const b of message.blocks) {
    switch (b.type) {
      case "header":
        blocks.push({ type: "header", text: { type: "plain_text", text: cut(b.text, 150), emoji: true } });
        break;
      case "text":
        blocks.push(section(mrkdwn(b.text)));
        break;
      case "kpis":
        for (const r of b.rows)
          blocks.push(
            section(
              `*${r.name}* ${r.formatted}${r.delta ? ` · ${r.delta}` : ""}${r.target ? `\n${r.target}` : ""}`,
            ),
          );
        break;
      case "fields":
        for (let i = 0; i < b.fields.length; i += 10)
          blocks.push({
            type: "section",
            fields: b.fields
              .slice(i, i + 10)
              .map((f) => ({ type: "mrkdwn", text: cut(`*${f.label}*\n${f.value}`, 2000) })),
          });
        break;
      case "chart": {
        const chart = charts[chartIndex++];
        const alt = cut(chart?.altText ?? b.chart.altText, 2000);
        blocks.push(
          chart?.fileId
            ? { type: "image", slack_file: { id: chart.fileId }, alt_text: alt }
            : { type: "context", elements: [{ type: "mrkdwn", text: cut(alt, 2000) }] },
        );
        break;
      }
      case "actions":
        blocks.push({
          type: "actions",
          elements: b.buttons.slice(0, 25).map((btn) => ({
            type: "button",
            action_id: `clg_${buttonIndex++}`,
            text: { type: "plain_text", text: cut(btn.label, 75) },
            value: cut(btn.command, 2000),
            ...(btn.style ? { style: btn.style } : {}),
          })),
        });
        break;
      case "context":
        blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: cut(mrkdwn(b.text), 2000) }] });
        break;
      case "divider":
        blocks.push({ type: "divider" });
        break;
    }
  }
  const text = cut(message.summary || renderText(message), 3000);
  const out: SlackMessage[] = [];
  for (let i = 0; i < Math.max(blocks.length, 1); i += 50)
    out.push({ text, blocks: blocks.slice(i, i + 50) });
  return out;
}
