import type { Asker } from "../app/answers/answer-context.ts";
import { ask } from "../app/ask.ts";
import { loadWorkspaceCatalog } from "../app/workspace-catalog.ts";
import { parseCommand } from "../commands/parse-command.ts";
import { MAX_COMMAND_LENGTH } from "../commands/tokenize.ts";
import { CARD_ACTION_VERB } from "./adaptive-card.ts";
import { cardAttachment } from "./card-attachment.ts";
import { cardActivity, invokeResponse } from "./message-activity.ts";
import type { TeamsTurnDeps, TenantTurn } from "./teams-turn.ts";

export const STALE_ACTION_REPLY =
  "That button no longer matches anything here (the card may be out of date); nothing was changed. Type `help` to see what I can do.";

/**
 * The command a button carries, or null when the payload is not one our cards send (a forged or stale
 * payload): a string command the workspace's grammar parses.
 */
async function commandOf(deps: TeamsTurnDeps, asker: Asker, data: unknown): Promise<string | null> {
  const command = (data as { command?: unknown } | null | undefined)?.command;
  if (typeof command !== "string" || command.trim() === "" || command.length > MAX_COMMAND_LENGTH)
    return null;
  const catalog = await loadWorkspaceCatalog(deps.rt.db, asker.workspace);
  return parseCommand(command, catalog.vocabulary).ok ? command : null;
}

/**
 * Action.Execute (`adaptiveCard/action` invoke): runs the button's command as the user who clicked it
 * (so a snooze or an acknowledgement records them) and answers with the new card, which Teams shows in
 * place of the old one. A payload our cards do not send is refused politely and the card stays.
 */
export async function runCardAction(deps: TeamsTurnDeps, turn: TenantTurn, asker: Asker): Promise<void> {
  const action = (turn.activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
  const command = action?.verb === CARD_ACTION_VERB ? await commandOf(deps, asker, action.data) : null;
  if (command === null) {
    deps.rt.logger.info({ workspace: asker.workspace, verb: action?.verb }, "Teams: card action refused");
    await turn.ctx.sendActivity(
      invokeResponse(200, {
        statusCode: 200,
        type: "application/vnd.microsoft.activity.message",
        value: STALE_ACTION_REPLY,
      }),
    );
    return;
  }
  const answer = await ask(deps.rt, asker, command);
  const card = await cardAttachment(deps.charts, asker.workspace, answer.message, answer.charts);
  await turn.ctx.sendActivity(
    invokeResponse(200, { statusCode: 200, type: card.contentType, value: card.content }),
  );
}

/**
 * Action.Submit (clients without Universal Actions): a message whose value is the button's data. The
 * command runs the same way and the card it came from is updated in place; a stale or forged payload gets
 * a polite reply and no change.
 */
export async function runSubmitAction(deps: TeamsTurnDeps, turn: TenantTurn, asker: Asker): Promise<void> {
  const command = await commandOf(deps, asker, turn.activity.value);
  if (command === null) {
    await turn.ctx.sendActivity(STALE_ACTION_REPLY);
    return;
  }
  const answer = await ask(deps.rt, asker, command);
  const card = await cardAttachment(deps.charts, asker.workspace, answer.message, answer.charts);
  const cardId = turn.activity.replyToId;
  if (cardId)
    await turn.ctx.updateActivity(
      cardActivity(card, { id: cardId, conversation: turn.activity.conversation }),
    );
  else await turn.ctx.sendActivity(cardActivity(card));
}
