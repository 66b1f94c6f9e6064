import { type AuthConfiguration, CloudAdapter } from "@microsoft/agents-hosting";
import type { Logger } from "../app/logger.ts";
import type { TeamsConfig } from "../config/config.ts";

/**
 * The SDK's settings from ours. SingleTenant: a client secret or a certificate, tokens from the bot's own
 * tenant authority; UserAssignedMSI: the managed identity's client id, no secret. Issuers are checked.
 * No client id: an anonymous adapter (local mode only; the endpoint refuses anything else).
 */
export function authConfigOf(teams: TeamsConfig): AuthConfiguration {
  if (!teams.clientId) return {};
  const common = {
    clientId: teams.clientId,
    tenantId: teams.tenantId ?? undefined,
    validateIssuer: true,
    ...(teams.authority
      ? { authorityEndpoint: `${teams.authority.replace(/\/+$/, "")}/${teams.tenantId}` }
      : {}),
  };
  if (teams.authType === "UserAssignedMSI") return { ...common, authType: "UserManagedIdentity" };
  if (teams.certPemFile && teams.certKeyFile)
    return {
      ...common,
      authType: "Certificate",
      certPemFile: teams.certPemFile,
      certKeyFile: teams.certKeyFile,
    };
  return { ...common, authType: "ClientSecret", clientSecret: teams.clientSecret ?? undefined };
}

/**
 * The CloudAdapter the endpoint and the sender share. With a client id, the `serviceurl` claim of the
 * token must name the activity's service host. Turn errors are logged (our turn logic answers bad input
 * itself; what reaches here is a bug or an unreachable connector, and users are not shown SDK text).
 */
export function createTeamsAdapter(teams: TeamsConfig, logger: Logger): CloudAdapter {
  const adapter = new CloudAdapter(authConfigOf(teams), undefined, undefined, {
    validateServiceUrl: teams.clientId !== null,
  });
  adapter.onTurnError = async (context, error) => {
    logger.error({ err: error, type: context.activity.type }, "Teams: turn failed");
    throw error;
  };
  return adapter;
}
