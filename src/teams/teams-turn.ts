import type { Activity } from "@microsoft/agents-activity";
import type { TurnContext } from "@microsoft/agents-hosting";
import type { Asker } from "../app/answers/answer-context.ts";
import { ask } from "../app/ask.ts";
import type { PublishDeps } from "../app/chart-images.ts";
import type { Runtime } from "../app/runtime.ts";
import { isWorkspaceAdmin } from "../app/workspace-admins.ts";
import { DEFAULT_LOCALE } from "../app/workspace-catalog.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";
import { commandTextOf, conversationIdOf, tenantOf, userOf, workspaceOfTenant } from "./activity-facts.ts";
import { runCardAction, runSubmitAction } from "./card-actions.ts";
import { cardAttachment } from "./card-attachment.ts";
import { installIn, rememberConversation, removeFrom } from "./conversations.ts";
import { cardActivity, invokeResponse } from "./message-activity.ts";

export interface TeamsTurnDeps {
  rt: Runtime;
  /** Entra object ids of users who may run admin commands (TEAMS_ADMINS). */
  admins: readonly string[];
  /** Where a reply's charts are published (PUBLIC_URL, the chart image store). */
  charts: PublishDeps;
}

/** One activity, in one tenant's workspace. */
export interface TenantTurn {
  ctx: TurnContext;
  activity: Activity;
  tenantId: string;
  workspace: string;
}

/** The asker of an activity: scoped to the tenant's workspace and the conversation it came from. */
export async function askerOf(deps: TeamsTurnDeps, turn: TenantTurn): Promise<Asker> {
  const user = userOf(turn.activity);
  return {
    workspace: turn.workspace,
    platform: "teams",
    channel: conversationIdOf(turn.activity),
    user,
    isAdmin: await isWorkspaceAdmin(
      deps.rt.db,
      deps.rt.config,
      turn.workspace,
      user,
      deps.admins.includes(user),
    ),
    locale: turn.activity.locale ?? DEFAULT_LOCALE,
  };
}

/** A tenant seen for the first time through a message (no install event reached us): provision it now. */
async function ensureInstalled(rt: Runtime, turn: TenantTurn): Promise<void> {
  if (await getWorkspace(rt.db, turn.workspace))
    await rememberConversation(rt, turn.workspace, turn.tenantId, turn.activity);
  else await installIn(rt, turn.workspace, turn.tenantId, turn.activity);
}

async function onMessage(deps: TeamsTurnDeps, turn: TenantTurn): Promise<void> {
  await ensureInstalled(deps.rt, turn);
  const asker = await askerOf(deps, turn);
  const { activity } = turn;
  if (activity.value !== undefined && !activity.text?.trim()) return runSubmitAction(deps, turn, asker);
  const text = commandTextOf(activity);
  const answer = await ask(deps.rt, asker, text === "" ? "help" : text);
  const card = await cardAttachment(deps.charts, turn.workspace, answer.message, answer.charts);
  await turn.ctx.sendActivity(cardActivity(card));
}

const botIn = (members: { id?: string }[] | undefined, botId: string | undefined) =>
  botId !== undefined && (members ?? []).some((m) => m.id === botId);

async function onConversationUpdate(deps: TeamsTurnDeps, turn: TenantTurn): Promise<void> {
  const { activity } = turn;
  const botId = activity.recipient?.id;
  if (botIn(activity.membersAdded, botId)) await installIn(deps.rt, turn.workspace, turn.tenantId, activity);
  if (botIn(activity.membersRemoved, botId)) await removeFrom(deps.rt, turn.workspace, activity);
}

async function onInstallationUpdate(deps: TeamsTurnDeps, turn: TenantTurn): Promise<void> {
  const action = String(turn.activity.action ?? "");
  if (action === "add" || action === "add-upgrade")
    await installIn(deps.rt, turn.workspace, turn.tenantId, turn.activity);
  else if (action === "remove" || action === "remove-upgrade")
    await removeFrom(deps.rt, turn.workspace, turn.activity);
}

/**
 * The bot's logic for every activity the CloudAdapter hands over: commands, installs and removals, card
 * buttons. Activities it does not handle are logged at debug level and answered 200 by the adapter.
 */
export function createTeamsTurn(deps: TeamsTurnDeps): (ctx: TurnContext) => Promise<void> {
  const { logger } = deps.rt;
  return async (ctx) => {
    const activity = ctx.activity;
    const tenantId = tenantOf(activity);
    if (!tenantId) {
      logger.debug({ type: activity.type }, "Teams: activity without a tenant; ignored");
      return;
    }
    const turn: TenantTurn = { ctx, activity, tenantId, workspace: workspaceOfTenant(tenantId) };
    switch (activity.type) {
      case "message":
        return onMessage(deps, turn);
      case "conversationUpdate":
        return onConversationUpdate(deps, turn);
      case "installationUpdate":
        return onInstallationUpdate(deps, turn);
      case "invoke":
        if (activity.name === "adaptiveCard/action") {
          await ensureInstalled(deps.rt, turn);
          return runCardAction(deps, turn, await askerOf(deps, turn));
        }
        // An invoke left unanswered would be 501; the bot does not handle it, which is not an error.
        await ctx.sendActivity(invokeResponse(200));
        break;
    }
    logger.debug({ type: activity.type, name: activity.name }, "Teams: activity not handled");
  };
}
