import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "./db.ts";
import type { SlackInstallationRow } from "./schema.ts";

/** How Slack names an install: a team, an enterprise (org-wide install), or a team inside an enterprise. */
export interface SlackInstallationKey {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

/** What is stored of one install; `installation` is the full record (kept encrypted, opaque here). */
export interface SlackInstallationRecord extends SlackInstallationKey {
  workspace: string;
  teamName: string | null;
  enterpriseName: string | null;
  appId: string | null;
  botId: string | null;
  botUserId: string | null;
  botScopes: readonly string[];
  installerUserId: string | null;
  botToken: string | null;
  installation: unknown;
}

/** The stored ids with the secrets opened. */
export interface StoredSlackInstallation extends SlackInstallationRecord {
  installedAt: Date;
  updatedAt: Date;
}

const ids = (key: SlackInstallationKey) => ({
  team_id: key.isEnterpriseInstall ? "" : (key.teamId ?? ""),
  enterprise_id: key.enterpriseId ?? "",
});

/** Binds each ciphertext to its row and purpose: copied to another install, it does not decrypt. */
export const slackInstallationContext = (
  row: { team_id: string; enterprise_id: string },
  what: "bot" | "installation",
) => `slack-installation:${row.enterprise_id}:${row.team_id}:${what}`;

/** Stores (or replaces) an install: one row per team and enterprise id, secrets encrypted. */
export async function saveSlackInstallation(
  db: Db,
  record: SlackInstallationRecord,
  secretKey: string,
  now: Date,
): Promise<void> {
  const key = ids(record);
  const values = {
    is_enterprise_install: record.isEnterpriseInstall,
    workspace: record.workspace,
    team_name: record.teamName,
    enterprise_name: record.enterpriseName,
    app_id: record.appId,
    bot_id: record.botId,
    bot_user_id: record.botUserId,
    bot_scopes: record.botScopes.join(","),
    installer_user_id: record.installerUserId,
    bot_token_ciphertext:
      record.botToken === null
        ? null
        : encryptSecret(record.botToken, secretKey, slackInstallationContext(key, "bot")),
    installation_ciphertext: encryptSecret(
      JSON.stringify(record.installation),
      secretKey,
      slackInstallationContext(key, "installation"),
    ),
    updated_at: now,
  };
  await db
    .insertInto("slack_installations")
    .values({ ...key, ...values, installed_at: now })
    .onConflict((oc) => oc.columns(["team_id", "enterprise_id"]).doUpdateSet(values))
    .execute();
}

function open(row: SlackInstallationRow, secretKey: string): StoredSlackInstallation {
  return {
    teamId: row.team_id || null,
    enterpriseId: row.enterprise_id || null,
    isEnterpriseInstall: row.is_enterprise_install,
    workspace: row.workspace,
    teamName: row.team_name,
    enterpriseName: row.enterprise_name,
    appId: row.app_id,
    botId: row.bot_id,
    botUserId: row.bot_user_id,
    botScopes: row.bot_scopes === "" ? [] : row.bot_scopes.split(","),
    installerUserId: row.installer_user_id,
    botToken:
      row.bot_token_ciphertext === null
        ? null
        : decryptSecret(row.bot_token_ciphertext, secretKey, slackInstallationContext(row, "bot")),
    installation: JSON.parse(
      decryptSecret(row.installation_ciphertext, secretKey, slackInstallationContext(row, "installation")),
    ) as unknown,
    installedAt: row.installed_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The install that serves a request: the org-wide one for an enterprise install, else the team's (in its
 * enterprise when Slack names one; a team's own install when the request names no enterprise).
 */
export async function findSlackInstallation(
  db: Db,
  key: SlackInstallationKey,
  secretKey: string,
): Promise<StoredSlackInstallation | null> {
  const { team_id, enterprise_id } = ids(key);
  if (team_id === "" && enterprise_id === "") return null;
  const row = await db
    .selectFrom("slack_installations")
    .selectAll()
    .where("team_id", "=", team_id)
    .where("enterprise_id", "=", enterprise_id)
    .executeTakeFirst();
  return row ? open(row, secretKey) : null;
}

/** The install behind a workspace id (`slack:<team_id>` or `slack:<enterprise_id>`). */
export async function findSlackInstallationOfWorkspace(
  db: Db,
  workspace: string,
  secretKey: string,
): Promise<StoredSlackInstallation | null> {
  const row = await db
    .selectFrom("slack_installations")
    .selectAll()
    .where("workspace", "=", workspace)
    .orderBy("updated_at", "desc")
    .executeTakeFirst();
  return row ? open(row, secretKey) : null;
}

/** Deletes an install (by its Slack ids); returns how many rows went. */
export async function deleteSlackInstallation(db: Db, key: SlackInstallationKey): Promise<number> {
  const { team_id, enterprise_id } = ids(key);
  const r = await db
    .deleteFrom("slack_installations")
    .where("team_id", "=", team_id)
    .where("enterprise_id", "=", enterprise_id)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Deletes every install of a workspace; returns how many rows went. */
export async function deleteSlackInstallationsOfWorkspace(db: Db, workspace: string): Promise<number> {
  const r = await db.deleteFrom("slack_installations").where("workspace", "=", workspace).executeTakeFirst();
  return Number(r.numDeletedRows);
}
