import { ask } from "../app/ask.ts";
import type { Runtime } from "../app/runtime.ts";
import { DEFAULT_LOCALE } from "../app/workspace-catalog.ts";
import { renderText } from "../messages/render-text.ts";
import type { AskAnswer, AskInput } from "../server/service-api.ts";
import { localChannel } from "./local-channel.ts";

/**
 * The local way in (console, `clg ask`, the preview page): the local user is this machine's operator,
 * so an admin of the configured workspace.
 */
export async function askLocal(rt: Runtime, input: AskInput): Promise<AskAnswer> {
  const { message, charts } = await ask(
    rt,
    {
      workspace: rt.config.workspace,
      platform: "local",
      channel: localChannel(input.channel),
      user: input.user,
      isAdmin: true,
      locale: DEFAULT_LOCALE,
    },
    input.text,
  );
  return { message, text: renderText(message), charts };
}
