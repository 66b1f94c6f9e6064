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
  // The row is read only when the platform's word and the deployment's list do not settle it.
  if (isAdminIn(undefined, config, workspace, user, platformSaysAdmin)) return true;
  return isAdminIn(await getWorkspace(db, workspace), config, workspace, user);
}

/** The same decision on a workspace row already read (undefined when there is none). */
export function isAdminIn(
  row: { admins: readonly string[] | null } | undefined,
  config: { workspace: string; admins: readonly string[] },
  workspace: string,
  user: string,
  platformSaysAdmin = false,
): boolean {
  if (platformSaysAdmin) return true;
  if (workspace === config.workspace && config.admins.includes(user)) return true;
  return row?.admins?.includes(user) ?? false;
}
