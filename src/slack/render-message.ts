import type { Message } from "../messages/message.ts";
import { type SlackMessagePart, toBlockKit } from "./block-kit.ts";
import type { SlackChart } from "./upload-charts.ts";

export type SlackMessage = SlackMessagePart;

/** The message model as Slack messages (Block Kit), each uploaded chart shown inside as its file. */
export function renderForSlack(message: Message, charts: readonly SlackChart[] = []): SlackMessage[] {
  const images = new Map<string, string>();
  for (const c of charts) if (c.fileId) images.set(c.id, c.fileId);
  return toBlockKit(message, { images });
}
