import type { Hono } from "hono";
import type { PublishDeps } from "../app/chart-images.ts";
import type { ChatSender } from "../app/chat-sender.ts";
import type { Clock } from "../app/clock.ts";
import type { Logger } from "../app/logger.ts";
import type { Runtime } from "../app/runtime.ts";
import type { Config } from "../config/config.ts";
import type { Db } from "../db/db.ts";
import { botEndpoint } from "../teams/bot-endpoint.ts";
import { createTeamsAdapter } from "../teams/teams-adapter.ts";
import { createTeamsSender } from "../teams/teams-sender.ts";
import { createTeamsTurn } from "../teams/teams-turn.ts";
import type { ServiceUrlPolicy } from "../teams/trusted-service-url.ts";

/** Microsoft Teams, when configured: the sender the outbox uses and the routes the HTTP server mounts. */
export interface TeamsPlatform {
  sender: ChatSender;
  routes(rt: Runtime): Hono;
}

/**
 * Teams is on with a client id (tokens verified), or in local mode (TEAMS_LOCAL=on: anonymous activities
 * from this machine, for the Agents Playground and tests). Otherwise it is off: no endpoint, no sender.
 */
export function composeTeams(
  config: Config,
  db: Db,
  logger: Logger,
  clock: Clock,
  charts: PublishDeps,
): TeamsPlatform | null {
  const teams = config.teams;
  if (!teams.clientId && !teams.local) return null;
  const adapter = createTeamsAdapter(teams, logger);
  const serviceUrls: ServiceUrlPolicy = { extraHosts: teams.trustedServiceHosts, allowLoopback: teams.local };
  return {
    sender: createTeamsSender({
      db,
      adapter,
      clientId: teams.clientId,
      serviceUrls,
      now: () => clock.now(),
      charts,
    }),
    routes: (rt) =>
      botEndpoint({
        adapter,
        logic: createTeamsTurn({ rt, admins: teams.admins, charts }),
        logger,
        authenticated: teams.clientId !== null,
        serviceUrls,
      }),
  };
}
