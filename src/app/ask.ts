import type { Message } from "../messages/message.ts";
import { answerText } from "./answer-command.ts";
import type { Asker } from "./answers/answer-context.ts";
import type { RenderedChart } from "./chat-sender.ts";
import type { Runtime } from "./runtime.ts";
import { loadWorkspaceCatalog } from "./workspace-catalog.ts";

export interface AskResult {
  message: Message;
  charts: RenderedChart[];
}

/**
 * One question from any platform (the preview page, `clg ask`, Slack, Teams): the asker's workspace
 * catalog answers it and its charts are drawn. Never throws for a bad question (the reply says what to do).
 */
export async function ask(rt: Runtime, asker: Asker, text: string): Promise<AskResult> {
  const catalog = await loadWorkspaceCatalog(rt.db, asker.workspace);
  const { message } = await answerText({ ...rt, catalog }, asker, text);
  const charts = await rt.charts.renderMessage(message);
  return { message, charts };
}
