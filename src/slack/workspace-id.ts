/**
 * The workspace a Slack request belongs to: `slack:<team_id>`, or `slack:<enterprise_id>` for an org-wide
 * (Enterprise Grid) install, where one install serves every team of the organisation.
 */
export function slackWorkspaceId(source: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): string | null {
  if (source.isEnterpriseInstall && source.enterpriseId) return `slack:${source.enterpriseId}`;
  if (source.teamId) return `slack:${source.teamId}`;
  if (source.enterpriseId) return `slack:${source.enterpriseId}`;
  return null;
}

/** The team (or enterprise) id inside a workspace id, for the token lookup. */
export function slackTeamOf(workspace: string): string | null {
  return workspace.startsWith("slack:") ? workspace.slice("slack:".length) : null;
}
