import type { Db } from "./db.ts";
import type { WorkspaceRow } from "./schema.ts";

/** Creates the workspace if it is missing; an existing one keeps its name and timezone. */
export async function ensureWorkspace(
  db: Db,
  ws: { id: string; name?: string; timezone?: string },
): Promise<WorkspaceRow> {
  await db
    .insertInto("workspaces")
    .values({ id: ws.id, name: ws.name ?? ws.id, timezone: ws.timezone ?? "UTC" })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  return db.selectFrom("workspaces").selectAll().where("id", "=", ws.id).executeTakeFirstOrThrow();
}

export async function getWorkspace(db: Db, id: string): Promise<WorkspaceRow | undefined> {
  return db.selectFrom("workspaces").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The workspace's catalog version (see the catalog_version migration) and timezone, or undefined. */
export async function getCatalogVersion(
  db: Db,
  id: string,
): Promise<{ version: string; timezone: string; locale: string | null } | undefined> {
  const row = await db
    .selectFrom("workspaces")
    .select(["catalog_version", "timezone", "locale"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row && { version: String(row.catalog_version), timezone: row.timezone, locale: row.locale };
}

export async function listWorkspaces(db: Db): Promise<WorkspaceRow[]> {
  return db.selectFrom("workspaces").selectAll().orderBy("id").execute();
}

export async function setWorkspaceTimezone(db: Db, id: string, timezone: string): Promise<void> {
  await db.updateTable("workspaces").set({ timezone }).where("id", "=", id).execute();
}

/** Records what an install tells about a workspace; fields not given keep their stored value. */
export async function updateWorkspaceProfile(
  db: Db,
  p: {
    id: string;
    name?: string;
    locale?: string;
    adminPlatform?: string;
    adminChannel?: string;
    /** User ids allowed to run admin commands (the catalog's `workspace.admins`). */
    admins?: readonly string[];
  },
): Promise<void> {
  const set = {
    ...(p.name ? { name: p.name } : {}),
    ...(p.admins ? { admins: JSON.stringify(p.admins) } : {}),
    ...(p.locale ? { locale: p.locale } : {}),
    ...(p.adminPlatform && p.adminChannel
      ? { admin_platform: p.adminPlatform, admin_channel: p.adminChannel }
      : {}),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable("workspaces").set(set).where("id", "=", p.id).execute();
}
