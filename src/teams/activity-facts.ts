import type { Activity } from "@microsoft/agents-activity";

/** The tenant an activity belongs to: Teams puts it on the conversation and in the channel data. */
export function tenantOf(activity: Activity): string | null {
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = activity.conversation?.tenantId ?? data?.tenant?.id;
  return typeof id === "string" && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : null;
}

/** A Teams tenant is one workspace (decided once for every query and table). */
export const workspaceOfTenant = (tenantId: string) => `teams:${tenantId}`;

/**
 * The conversation an activity belongs to, as subscriptions and stored references know it: a message in
 * a channel thread (`19:…@thread.tacv2;messageid=…`) counts for its channel.
 */
export function conversationIdOf(activity: Activity): string {
  return (activity.conversation?.id ?? "").split(";messageid=")[0] ?? "";
}

/** "channel", "groupChat" or "personal" (Teams leaves it out of some activities: then personal). */
export function conversationTypeOf(activity: Activity): string {
  const t = activity.conversation?.conversationType;
  return t === "channel" || t === "groupChat" ? t : "personal";
}

/** The team a channel activity comes from (its General channel has the team's id). */
export function teamIdOf(activity: Activity): string | null {
  const data = activity.channelData as { team?: { id?: unknown } } | undefined;
  return typeof data?.team?.id === "string" ? data.team.id : null;
}

/** Who is asking: the Entra object id when Teams sends it (stable across chats), else the channel account. */
export function userOf(activity: Activity): string {
  return activity.from?.aadObjectId ?? activity.from?.id ?? "unknown";
}

const ENTITIES: Record<string, string> = {
  "&nbsp;": " ",
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
};

/**
 * The command a message carries: the bot's @mention removed (the SDK's `removeRecipientMention`), then
 * what Teams adds around plain text (HTML tags, entities) stripped, so `@clg activation` in a channel and
 * `activation` in a personal chat read the same.
 */
export function commandTextOf(activity: Activity): string {
  const withoutMention = activity.removeRecipientMention() || activity.text || "";
  return (
    withoutMention
      // A mention Teams sent without its entity: the bot is addressed first.
      .replace(/^\s*<at>[^<]*<\/at>/i, " ")
      .replace(/<[^>]*>/g, " ")
      .replace(/&(nbsp|amp|lt|gt|quot);/g, (m) => ENTITIES[m] ?? m)
      .replace(/\s+/g, " ")
      .trim()
  );
}
