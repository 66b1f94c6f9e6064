import type { Installation, InstallationQuery, InstallationStore } from "@slack/oauth";
import type { Clock } from "../app/clock.ts";
import type { Db } from "../db/db.ts";
import {
  deleteSlackInstallation,
  findSlackInstallation,
  type SlackInstallationKey,
  saveSlackInstallation,
} from "../db/slack-installations-repository.ts";
import { slackWorkspaceId } from "./workspace-id.ts";

type AnyInstallation = Installation<"v1" | "v2", boolean>;

const keyOf = (q: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): SlackInstallationKey => ({
  teamId: q.teamId ?? null,
  enterpriseId: q.enterpriseId ?? null,
  isEnterpriseInstall: q.isEnterpriseInstall === true,
});

const describe = (q: InstallationQuery<boolean>) =>
  q.isEnterpriseInstall ? `enterprise ${q.enterpriseId}` : `team ${q.teamId}`;

/**
 * Bolt's and @slack/oauth's installation store on PostgreSQL (or PGlite): one row per team (or org-wide
 * enterprise install), the bot token and the full installation encrypted with CLG_SECRET_KEY.
 */
export class PostgresInstallationStore implements InstallationStore {
  constructor(
    private readonly db: Db,
    private readonly secretKey: string,
    private readonly clock: Clock,
  ) {}

  async storeInstallation<AuthVersion extends "v1" | "v2">(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    const key = keyOf({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall,
    });
    const workspace = slackWorkspaceId({
      teamId: key.teamId ?? undefined,
      enterpriseId: key.enterpriseId ?? undefined,
      isEnterpriseInstall: key.isEnterpriseInstall,
    });
    if (workspace === null) throw new Error("A Slack installation names neither a team nor an enterprise.");
    await saveSlackInstallation(
      this.db,
      {
        ...key,
        workspace,
        teamName: installation.team?.name ?? null,
        enterpriseName: installation.enterprise?.name ?? null,
        appId: installation.appId ?? null,
        botId: installation.bot?.id ?? null,
        botUserId: installation.bot?.userId ?? null,
        botScopes: installation.bot?.scopes ?? [],
        installerUserId: installation.user.id ?? null,
        botToken: installation.bot?.token ?? null,
        installation,
      },
      this.secretKey,
      this.clock.now(),
    );
  }

  /** Throws when there is none, as the interface asks (Bolt then answers the request as unauthorized). */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    const stored = await findSlackInstallation(this.db, keyOf(query), this.secretKey);
    if (stored === null) throw new Error(`No Slack installation for ${describe(query)}.`);
    return stored.installation as AnyInstallation;
  }

  /**
   * With a user id, only that user's token goes (the bot keeps working); without, the whole install.
   */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = keyOf(query);
    if (query.userId === undefined) {
      await deleteSlackInstallation(this.db, key);
      return;
    }
    const stored = await findSlackInstallation(this.db, key, this.secretKey);
    if (stored === null) return;
    const installation = stored.installation as AnyInstallation;
    if (installation.user.id !== query.userId) return;
    const { token: _token, refreshToken: _refresh, expiresAt: _expires, ...user } = installation.user;
    await saveSlackInstallation(
      this.db,
      { ...stored, installation: { ...installation, user } },
      this.secretKey,
      this.clock.now(),
    );
  }
}
