import type { Migration } from "kysely";
import * as initial from "./20261123_1700_initial.ts";
import * as kpiWatermarks from "./20261130_0320_kpi_watermarks.ts";
import * as outbox from "./20261130_1400_outbox.ts";
import * as observationsIncidents from "./20261130_1500_observations_incidents.ts";
import * as subscriptionIdentity from "./20261130_1500_subscription_identity.ts";
import * as slackInstallations from "./20261130_1710_slack_installations.ts";
import * as teamsConversations from "./20261130_1720_teams_conversations.ts";
import * as chartImages from "./20261130_1730_chart_images.ts";
import * as subscriptionLocaleOptional from "./20261130_1740_subscription_locale_optional.ts";
import * as catalogVersion from "./20261130_1800_catalog_version.ts";
import * as dropGenericInstallations from "./20261130_1810_drop_generic_installations.ts";

/**
 * Every migration, by name. Names sort in the order they run; add new files here. A static list works the
 * same under tsx, vitest and a bundler, where reading the folder at run time would not.
 */
export const migrations: Record<string, Migration> = {
  "20261123_1700_initial": initial,
  "20261130_0320_kpi_watermarks": kpiWatermarks,
  "20261130_1400_outbox": outbox,
  "20261130_1500_observations_incidents": observationsIncidents,
  "20261130_1500_subscription_identity": subscriptionIdentity,
  "20261130_1710_slack_installations": slackInstallations,
  "20261130_1720_teams_conversations": teamsConversations,
  "20261130_1730_chart_images": chartImages,
  "20261130_1740_subscription_locale_optional": subscriptionLocaleOptional,
  "20261130_1800_catalog_version": catalogVersion,
  "20261130_1810_drop_generic_installations": dropGenericInstallations,
};
