import type { Db } from "../db/db.ts";
import { getWorkspace } from "../db/workspaces-repository.ts";

/**
 * Whether `user` may run admin commands in `workspace`: the platform says so (a Slack workspace admin or
 * owner, a Teams team owner), or the workspace's own list names the user. The deployment-wide list
 * (CLG_ADMINS) counts only for the workspace the deployment is configured for, never for other tenants.
 */
export async function isWorkspaceAdmin(
  db: Db,
  config: { workspace: string; admins: readonly string[] },
  workspace: string,
  user: string,
  platformSaysAdmin = false,
): Promise<boolean> {
  if (platformSaysAdmin) return true;
  if (workspace === config.workspace && config.admins.includes(user)) return true;
  const row = await getWorkspace(db, workspace);
  return row?.admins?.includes(user) ?? false;
}
