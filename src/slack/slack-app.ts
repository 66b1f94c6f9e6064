import { App, type Authorize, type InstallationStore, type Receiver } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { ask } from "../app/ask.ts";
import {
  answerInConversation,
  answeringSafely,
  answerThroughResponseUrl,
  slackMessagesOf,
} from "./answer-slack.ts";
import { publishHome } from "./app-home.ts";
import { ACTION_ID_PREFIX } from "./block-kit.ts";
import { type SlackDeps, slackAsker, stripMention } from "./slack-context.ts";
import { DELIVERY_EVENT_TYPE } from "./slack-sender.ts";
import { listenForUninstall } from "./uninstall.ts";
import { slackWorkspaceId } from "./workspace-id.ts";

/** How long Bolt's authorize reuses a workspace's token before asking the lookup (the store) again. */
const TOKEN_TTL_MS = 30_000;

/**
 * Bolt's authorize on our token lookup: the workspace's bot token (kept 30 s, so an ack does not wait on
 * the installation store under load) and who the bot is (auth.test, once per token). The outbox's sender
 * asks the lookup itself on every send, so a revoked install stops deliveries at once.
 */
function authorizeWith(deps: SlackDeps): Authorize<boolean> {
  const identities = new Map<string, Promise<{ botId?: string; botUserId?: string }>>();
  const tokens = new Map<string, { token: string; until: number }>();
  const tokenOf = async (workspace: string): Promise<string | null> => {
    const hit = tokens.get(workspace);
    if (hit && hit.until > Date.now()) return hit.token;
    const token = await deps.tokenFor(workspace);
    if (token) tokens.set(workspace, { token, until: Date.now() + TOKEN_TTL_MS });
    else tokens.delete(workspace);
    return token;
  };
  return async (source) => {
    const workspace = slackWorkspaceId(source);
    const token = workspace ? await tokenOf(workspace) : null;
    if (!workspace || !token) throw new Error(`No Slack install for ${workspace ?? "this request"}.`);
    let identity = identities.get(token);
    if (!identity) {
      identity = deps.clients
        .forToken(token)
        .auth.test()
        .then((r) => ({
          ...(r.bot_id ? { botId: r.bot_id } : {}),
          ...(r.user_id ? { botUserId: r.user_id } : {}),
        }));
      identity.catch(() => identities.delete(token));
      identities.set(token, identity);
    }
    return { botToken: token, ...(await identity) };
  };
}

/** Our buttons' action ids (the renderer's prefix); their value is a command of the grammar. */
const CLG_ACTION = new RegExp(`^${ACTION_ID_PREFIX}`);

interface RequestAt {
  team?: string | undefined;
  enterprise?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
  channel: string;
  user: string;
}

async function askerAt(deps: SlackDeps, client: WebClient, at: RequestAt) {
  const workspace = slackWorkspaceId({
    teamId: at.team,
    enterpriseId: at.enterprise,
    isEnterpriseInstall: at.isEnterpriseInstall,
  });
  if (!workspace) throw new Error("A Slack request without a team.");
  // Takes its turn like the answering: a burst of requests acks first, then finds out who asked.
  return deps.limit(async () => {
    await deps.provision(workspace);
    return slackAsker(deps, client, { workspace, channel: at.channel, user: at.user });
  });
}

/**
 * The Bolt app: `/clg` (ack first, answer through response_url), @mentions and direct messages (answered
 * through the outbox), button clicks (the button's value is a command of the grammar), and the App Home.
 * It only translates: every answer comes from `ask`.
 */
export function createSlackApp(
  deps: SlackDeps,
  receiver: Receiver,
  opts: { installationStore?: Pick<InstallationStore, "deleteInstallation"> } = {},
): App {
  const app = new App({
    receiver,
    authorize: authorizeWith(deps),
    clientOptions: deps.clients.options,
    logger: deps.clients.options.logger,
    ignoreSelf: true,
  });
  const log = deps.rt.logger;

  app.command(/^\/clg/, async ({ command, ack, client }) => {
    await ack();
    await answeringSafely(deps, command.response_url, command.text, async () => {
      const asker = await askerAt(deps, client, {
        team: command.team_id,
        enterprise: command.enterprise_id,
        isEnterpriseInstall: command.is_enterprise_install === "true",
        channel: command.channel_id,
        user: command.user_id,
      });
      await answerThroughResponseUrl(deps, client, asker, command.text, {
        responseUrl: command.response_url,
      });
    });
  });

  app.event("app_mention", async ({ event, body, context, client }) => {
    if (context.retryNum)
      log.info({ event: body.event_id, retry: context.retryNum }, "slack retried a mention");
    if (!event.user) return;
    const asker = await askerAt(deps, client, {
      team: context.teamId,
      enterprise: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall,
      channel: event.channel,
      user: event.user,
    });
    await answerInConversation(deps, asker, stripMention(event.text), {
      eventId: body.event_id,
      threadOf: event.thread_ts ?? event.ts,
    });
  });

  app.message(async ({ message, body, context, client }) => {
    // Direct messages only: in channels the bot answers when mentioned.
    if (message.channel_type !== "im" || message.subtype !== undefined) return;
    if (!("user" in message) || !message.user || ("bot_id" in message && message.bot_id)) return;
    const asker = await askerAt(deps, client, {
      team: context.teamId,
      enterprise: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall,
      channel: message.channel,
      user: message.user,
    });
    await answerInConversation(deps, asker, stripMention(message.text ?? ""), {
      eventId: (body as { event_id: string }).event_id,
      threadOf: null,
    });
  });

  app.action(CLG_ACTION, async ({ ack, body, action, client, context }) => {
    if (body.type !== "block_actions") return ack();
    await ack();
    const command = "value" in action && typeof action.value === "string" ? action.value : null;
    if (!command) return;
    const run = async () => {
      const channel = body.channel?.id ?? body.user.id;
      const asker = await askerAt(deps, client, {
        team: body.team?.id ?? context.teamId,
        enterprise: body.enterprise?.id ?? context.enterpriseId,
        isEnterpriseInstall: body.is_enterprise_install,
        channel,
        user: body.user.id,
      });
      const message = body.message as { ts?: string; metadata?: { event_type?: string } } | undefined;
      // An alert or digest the outbox posted stays as it is: the clicker gets the answer privately (an
      // acknowledge or snooze edits the alert itself, through the outbox). An answer is changed in place.
      const posted = message?.metadata?.event_type === DELIVERY_EVENT_TYPE;
      if (body.response_url) {
        await answerThroughResponseUrl(deps, client, asker, command, {
          responseUrl: body.response_url,
          replaceOriginal: !posted,
        });
        return;
      }
      const answer = await deps.limit(() => ask(deps.rt, asker, command));
      const [first] = await slackMessagesOf(deps, client, answer);
      if (!first) return;
      if (body.container?.type === "message" && message?.ts && !posted && answer.message.tone !== "error") {
        await client.chat.update({
          channel,
          ts: message.ts,
          text: first.text,
          blocks: first.blocks as never,
        });
        return;
      }
      // A click in the App Home has no message to answer under: the answer goes to the app's DM.
      await client.chat.postMessage({
        channel: body.user.id,
        text: first.text,
        blocks: first.blocks as never,
      });
    };
    if (body.response_url) await answeringSafely(deps, body.response_url, command, run);
    else await run();
  });

  app.event("app_home_opened", async ({ event, context, client }) => {
    if (event.tab !== "home") return;
    const asker = await askerAt(deps, client, {
      team: context.teamId,
      enterprise: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall,
      channel: event.channel,
      user: event.user,
    });
    await publishHome(deps, client, asker);
  });

  listenForUninstall(app, deps.rt, opts.installationStore);

  app.error(async (error) => {
    log.error({ err: error }, "slack listener failed");
  });

  return app;
}
