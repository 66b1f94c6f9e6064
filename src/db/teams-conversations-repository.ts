import type { Db } from "./db.ts";
import type { TeamsConversationRow } from "./schema.ts";

export interface TeamsConversationInput {
  workspace: string;
  conversationId: string;
  tenantId: string;
  conversationType: string;
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

/** Marks conversations the bot left; `conversationId` null: every conversation of the workspace. */
export async function pauseTeamsConversations(
  db: Db,
  workspace: string,
  conversationId: string | null,
  at: Date,
): Promise<string[]> {
  let q = db
    .updateTable("teams_conversations")
    .set({ paused_at: at, updated_at: at })
    .where("workspace", "=", workspace)
    .where("paused_at", "is", null);
  if (conversationId !== null) q = q.where("conversation_id", "=", conversationId);
  const rows = await q.returning("conversation_id").execute();
  return rows.map((r) => r.conversation_id);
}
