import type { WebClient } from "@slack/web-api";

const TTL_MS = 5 * 60_000;

/**
 * Whether Slack says a user is an admin or owner of the workspace (users.info), cached for five minutes
 * per workspace and user so a burst of commands costs one call. A failed look-up counts as "no".
 */
export function createSlackAdminCheck(now: () => number = Date.now) {
  const cache = new Map<string, { admin: boolean; until: number }>();
  return async (client: WebClient, workspace: string, user: string): Promise<boolean> => {
    const key = `${workspace}|${user}`;
    const hit = cache.get(key);
    if (hit && hit.until > now()) return hit.admin;
    let admin = false;
    try {
      const res = await client.users.info({ user });
      const u = res.user;
      admin = Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
    } catch {
      admin = false;
    }
    cache.set(key, { admin, until: now() + TTL_MS });
    return admin;
  };
}

export type SlackAdminCheck = ReturnType<typeof createSlackAdminCheck>;
