import type { ClgError } from "../errors.ts";
import { STATUS_SYMBOL } from "../kpi/status.ts";
import type { Block, Message } from "./message.ts";

function quotedList(words: readonly string[]): string {
  const q = words.map((w) => `"${w}"`);
  return q.length <= 1 ? q.join("") : `${q.slice(0, -1).join(", ")} or ${q[q.length - 1]}`;
}

/**
 * A coded error as a friendly reply: what went wrong, what was probably meant, what to do next, and
 * the code (small, last) so a report to an admin can name it.
 */
export function renderErrorMessage(error: ClgError): Message {
  const mentions = error.suggestions.length > 0 && !/did you mean/i.test(error.message);
  const text = mentions ? `${error.message} Did you mean ${quotedList(error.suggestions)}?` : error.message;
  const blocks: Block[] = [{ type: "text", text: `${STATUS_SYMBOL.error} ${text}` }];
  if (error.hint !== undefined && error.hint !== "") blocks.push({ type: "text", text: error.hint });
  blocks.push({ type: "context", text: `error code: ${error.code}` });
  return { summary: text, blocks, tone: "error" };
}
