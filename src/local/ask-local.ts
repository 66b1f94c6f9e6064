import { answerText } from "../app/answer-command.ts";
import type { Runtime } from "../app/runtime.ts";
import { loadWorkspaceCatalog } from "../app/workspace-catalog.ts";
import { renderText } from "../messages/render-text.ts";
import type { AskAnswer, AskInput } from "../server/service-api.ts";
import { localChannel } from "./local-channel.ts";

/**
 * The local way in (console, `clg ask`, the preview page): the local user is this machine's operator,
 * so an admin of the configured workspace.
 */
export async function askLocal(rt: Runtime, input: AskInput): Promise<AskAnswer> {
  const catalog = await loadWorkspaceCatalog(rt.db, rt.config.workspace);
  const { message } = await answerText(
    { ...rt, catalog },
    {
      workspace: rt.config.workspace,
      platform: "local",
      channel: localChannel(input.channel),
      user: input.user,
      isAdmin: true,
      locale: "en-US",
    },
    input.text,
  );
  const charts = await rt.charts.renderMessage(message);
  return { message, text: renderText(message), charts };
}
