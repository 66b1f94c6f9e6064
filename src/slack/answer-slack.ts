import { randomUUID } from "node:crypto";
import type { WebClient } from "@slack/web-api";
import type { Asker } from "../app/answers/answer-context.ts";
import { type AskResult, ask } from "../app/ask.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { ClgError } from "../errors.ts";
import { renderErrorMessage } from "../messages/render-error.ts";
import { renderForSlack, type SlackMessage } from "./render-message.ts";
import { isAllowedResponseUrl, postToResponseUrl } from "./response-url.ts";
import type { SlackDeps } from "./slack-context.ts";
import { uploadCharts } from "./upload-charts.ts";

/** A response_url takes 5 posts; a split answer uses at most this many. */
const MAX_RESPONSE_POSTS = 5;

/** The answer as Slack messages, its charts uploaded (files.uploadV2) and shown inside as image blocks. */
export async function slackMessagesOf(
  deps: SlackDeps,
  client: WebClient,
  answer: AskResult,
): Promise<SlackMessage[]> {
  const charts = await uploadCharts(client, answer.charts, (err, chart) =>
    deps.rt.logger.warn({ err, chart: chart.id }, "chart upload failed; the answer shows its alt text"),
  );
  return renderForSlack(answer.message, charts);
}

/** How an answer to an interaction lands where it was asked. */
export interface ResponseTarget {
  responseUrl: string;
  /** Replace the message the button was on (an answer being changed in place). */
  replaceOriginal?: boolean;
}

/**
 * Answers one question through its response_url: privately by default, for the whole channel when the
 * command was `share ...`. Works in channels the bot is not in. A response_url that is not Slack's is
 * refused (logged) and nothing is sent.
 */
export async function answerThroughResponseUrl(
  deps: SlackDeps,
  client: WebClient,
  asker: Asker,
  text: string,
  target: ResponseTarget,
): Promise<AskResult | null> {
  if (!isAllowedResponseUrl(target.responseUrl, deps.slack.apiUrl)) {
    deps.rt.logger.warn(
      { workspace: asker.workspace },
      "slack payload with a response_url that is not Slack's; nothing sent",
    );
    return null;
  }
  // Only the answering takes turns (it is CPU work on the event loop); uploads and posts overlap freely.
  const answer = await deps.limit(() => ask(deps.rt, asker, text));
  const hinted = SUBSCRIBE.test(text) ? await withInviteHint(client, asker.channel, answer) : answer;
  await respondWith(deps, client, hinted, target);
  return hinted;
}

const SUBSCRIBE = /^\s*(share\s+)?subscribe\b/i;

/**
 * A subscription is delivered by the bot itself, which must be in the channel: when it is not, the
 * answer says how to invite it (the answer itself arrived through response_url, which needs no member).
 */
async function withInviteHint(client: WebClient, channel: string, answer: AskResult): Promise<AskResult> {
  if (answer.message.tone === "error" || channel.startsWith("D")) return answer;
  let member = true;
  try {
    const info = await client.conversations.info({ channel });
    member = info.channel?.is_member !== false;
  } catch {
    member = false;
  }
  if (member) return answer;
  return {
    ...answer,
    message: {
      ...answer.message,
      blocks: [
        ...answer.message.blocks,
        {
          type: "context",
          text: "I am not in this channel yet, so nothing can be posted here: invite me with `/invite @clg`.",
        },
      ],
    },
  };
}

/**
 * Runs one answer to a command or click; if it fails for a reason of ours (the database away, Slack not
 * answering), the person still hears so through the response_url, with an id the admins find in the log.
 */
export async function answeringSafely(
  deps: SlackDeps,
  responseUrl: string,
  what: string,
  work: () => Promise<unknown>,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    const id = randomUUID().slice(0, 8);
    deps.rt.logger.error({ err, id }, "slack answer failed");
    if (!isAllowedResponseUrl(responseUrl, deps.slack.apiUrl)) return;
    const message = renderErrorMessage(
      new ClgError("clg_internal", `Something went wrong answering "${what.slice(0, 80)}".`, {
        hint: `Try again in a minute; if it keeps failing, give an admin the id ${id} (it is in the service log).`,
      }),
    );
    const [part] = renderForSlack(message);
    await postToResponseUrl(deps.fetch, responseUrl, {
      text: part?.text ?? message.summary,
      ...(part ? { blocks: part.blocks } : {}),
      response_type: "ephemeral",
      replace_original: false,
    }).catch((e: unknown) => deps.rt.logger.warn({ err: e, id }, "could not tell the person either"));
  }
}

/** Sends an answer already made through a response_url (see answerThroughResponseUrl). */
export async function respondWith(
  deps: SlackDeps,
  client: WebClient,
  answer: AskResult,
  target: ResponseTarget,
): Promise<void> {
  const shared = answer.message.audience === "channel";
  // A refusal or an error never replaces what the button was on: it goes to the person who clicked.
  const replace = Boolean(target.replaceOriginal) && !shared && answer.message.tone !== "error";
  const messages = await slackMessagesOf(deps, client, answer);
  for (const [i, m] of messages.slice(0, MAX_RESPONSE_POSTS).entries()) {
    await postToResponseUrl(deps.fetch, target.responseUrl, {
      text: m.text,
      blocks: m.blocks,
      response_type: shared ? "in_channel" : "ephemeral",
      replace_original: replace && i === 0,
    });
  }
}

/**
 * An @mention or a direct message: the answer goes through the outbox (paced per channel, recorded),
 * keyed by Slack's event id, so a retried event (x-slack-retry-num) never posts a second answer. A mention
 * is answered in its thread.
 */
export async function answerInConversation(
  deps: SlackDeps,
  asker: Asker,
  text: string,
  at: { eventId: string; threadOf: string | null },
): Promise<boolean> {
  const { message } = await deps.limit(() => ask(deps.rt, asker, text));
  const { created } = await enqueueDelivery(deps.rt.db, {
    idempotencyKey: `slack-event:${asker.workspace}:${at.eventId}`,
    workspace: asker.workspace,
    platform: "slack",
    channel: asker.channel,
    payload: { message },
    ...(at.threadOf ? { kind: "reply" as const, parentMessageId: `${asker.channel}:${at.threadOf}` } : {}),
    now: deps.rt.clock.now(),
  });
  return created;
}
