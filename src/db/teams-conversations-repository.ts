import type { Db } from "./db.ts";
import type { TeamsConversationRow } from "./schema.ts";

export interface TeamsConversationInput {
  workspace: string;
  conversationId: string;
  tenantId: string;
  conversationType: string;
  teamId: string | null;
  reference: Record<string, unknown>;
  at: Date;
}

/** Stores (or refreshes) the reference of a conversation the bot is in; being added again un-pauses it. */
export async function saveTeamsConversation(db: Db, c: TeamsConversationInput): Promise<void> {
  const reference = JSON.stringify(c.reference);
  await db
    .insertInto("teams_conversations")
    .values({
      workspace: c.workspace,
      conversation_id: c.conversationId,
      tenant_id: c.tenantId,
      conversation_type: c.conversationType,
      team_id: c.teamId,
      reference,
      installed_at: c.at,
      updated_at: c.at,
      paused_at: null,
    })
    .onConflict((oc) =>
      oc
        .columns(["workspace", "conversation_id"])
        .doUpdateSet({ reference, conversation_type: c.conversationType, updated_at: c.at, paused_at: null }),
    )
    .execute();
}

export async function getTeamsConversation(
  db: Db,
  workspace: string,
  conversationId: string,
): Promise<TeamsConversationRow | undefined> {
  return db
    .selectFrom("teams_conversations")
    .selectAll()
    .where("workspace", "=", workspace)
    .where("conversation_id", "=", conversationId)
    .executeTakeFirst();
}

/**
 * Marks conversations the bot left: one chat or channel, or with `teamId` every channel of that team.
 * Returns the conversation ids paused now.
 */
export async function pauseTeamsConversations(
  db: Db,
  workspace: string,
  which: { conversationId: string; teamId: string | null },
  at: Date,
): Promise<string[]> {
  const { conversationId, teamId } = which;
  const rows = await db
    .updateTable("teams_conversations")
    .set({ paused_at: at, updated_at: at })
    .where("workspace", "=", workspace)
    .where("paused_at", "is", null)
    .where((eb) =>
      teamId === null
        ? eb("conversation_id", "=", conversationId)
        : eb.or([eb("conversation_id", "=", conversationId), eb("team_id", "=", teamId)]),
    )
    .returning("conversation_id")
    .execute();
  return rows.map((r) => r.conversation_id);
}

/** Resumes a conversation's subscriptions that were paused for `reason` (the bot was added back). */
export async function resumeTeamsSubscriptions(
  db: Db,
  workspace: string,
  conversationIds: readonly string[],
  reason: string,
): Promise<number> {
  if (conversationIds.length === 0) return 0;
  const r = await db
    .updateTable("subscriptions")
    .set({ paused_at: null, paused_reason: null })
    .where("workspace", "=", workspace)
    .where("platform", "=", "teams")
    .where("channel", "in", conversationIds)
    .where("paused_reason", "=", reason)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}
