import type { Platform } from "../../catalog/catalog-schema.ts";
import type { Db } from "../../db/db.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { WorkspaceCatalog } from "../workspace-catalog.ts";

/** Who asked, and where: answers and subscriptions are scoped to this workspace and channel. */
export interface Asker {
  workspace: string;
  platform: Platform;
  channel: string;
  user: string;
  isAdmin: boolean;
  locale: string;
}

/** What every answer may use. Handed in, never imported as a global. */
export interface AnswerDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  catalog: WorkspaceCatalog;
}
