import type { Message } from "../messages/message.ts";

/** Minimal card until the full renderer lands: summary, text blocks and the buttons as Action.Execute. */
export function toAdaptiveCard(
  message: Message,
  _opts: Record<string, unknown> = {},
): Record<string, unknown> {
  const body: Record<string, unknown>[] = [{ type: "TextBlock", text: message.summary, wrap: true }];
  const actions: Record<string, unknown>[] = [];
  for (const b of message.blocks) {
    if (b.type === "text" || b.type === "header" || b.type === "context")
      body.push({ type: "TextBlock", text: b.text, wrap: true });
    if (b.type === "kpis")
      for (const r of b.rows) body.push({ type: "TextBlock", text: `${r.name} ${r.formatted}`, wrap: true });
    if (b.type === "actions")
      for (const btn of b.buttons)
        actions.push({
          type: "Action.Execute",
          title: btn.label,
          verb: "clg.command",
          data: { command: btn.command },
        });
  }
  return { type: "AdaptiveCard", version: "1.5", fallbackText: message.summary, body, actions };
}
