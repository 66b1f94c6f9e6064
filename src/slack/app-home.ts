import type { WebClient } from "@slack/web-api";
import type { Asker } from "../app/answers/answer-context.ts";
import { ask } from "../app/ask.ts";
import type { SubscriptionRow } from "../db/schema.ts";
import { listSubscriptions } from "../db/subscriptions-repository.ts";
import { renderForSlack } from "./render-message.ts";
import type { SlackDeps } from "./slack-context.ts";

/** The channels a person is in (as far as the bot can see), for their part of the subscriptions. */
async function channelsOf(client: WebClient, user: string): Promise<Set<string> | null> {
  try {
    const channels = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const res = await client.users.conversations({
        user,
        types: "public_channel,private_channel",
        exclude_archived: true,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const c of res.channels ?? []) if (c.id) channels.add(c.id);
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    return channels;
  } catch {
    return null;
  }
}

function subscriptionLine(s: SubscriptionRow): string {
  const what =
    s.kind === "digest" ? `digest ${s.cron ?? ""}${s.timezone ? ` (${s.timezone})` : ""}` : `alerts`;
  const paused = s.paused_at ? ` · paused: ${s.paused_reason ?? "channel unreachable"}` : "";
  return `• <#${s.channel}> ${what.trim()}${paused}`;
}

/**
 * The App Home tab (views.publish): the board, then the subscriptions of the channels the person is in.
 * Charts are not uploaded here: the board's chart shows as its alt text.
 */
export async function publishHome(deps: SlackDeps, client: WebClient, asker: Asker): Promise<void> {
  const { message } = await deps.limit(() => ask(deps.rt, asker, "board"));
  const [board] = renderForSlack(message);
  const [subs, mine] = await Promise.all([
    listSubscriptions(deps.rt.db, asker.workspace, { platform: "slack" }),
    channelsOf(client, asker.user),
  ]);
  const shown = subs.filter((s) => mine === null || mine.has(s.channel));
  const lines =
    shown.length > 0
      ? shown.slice(0, 40).map(subscriptionLine).join("\n")
      : "None yet. In a channel, type `/clg subscribe digest weekdays` or `/clg subscribe alerts all`.";
  const blocks = [
    ...(board?.blocks ?? []).slice(0, 44),
    { type: "divider" },
    { type: "header", text: { type: "plain_text", text: "Subscriptions in your channels" } },
    { type: "section", text: { type: "mrkdwn", text: lines.slice(0, 3000) } },
  ];
  await client.views.publish({ user_id: asker.user, view: { type: "home", blocks: blocks as never } });
}
