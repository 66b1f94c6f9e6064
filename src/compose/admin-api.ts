import {
  applyCatalogTask,
  digestTask,
  exportCatalogTask,
  importSamplesTask,
  migrationStatusTask,
  pollTask,
} from "../app/admin-tasks.ts";
import type { Runtime } from "../app/runtime.ts";
import { testSourceTask } from "../app/test-source-task.ts";
import type { AdminApi } from "../server/admin-routes.ts";

const text = (t: string) => ({ text: t, failed: false });

/**
 * The running service's side of `clg catalog`, `migrate --status`, `samples import`, `poll`, `sources test` and `digest`:
 * the same tasks the CLI runs on a data folder, run here after the first start has finished. Catalog
 * secrets come from the service's environment, as its polls do.
 */
export function adminApi(rt: Runtime, ready: Promise<void>): AdminApi {
  const after =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A) => {
      await ready;
      return fn(...a);
    };
  return {
    exportCatalog: after(async (workspace) => text(await exportCatalogTask(rt, workspace))),
    applyCatalog: after((input) => applyCatalogTask(rt, { ...input, secrets: (name) => process.env[name] })),
    migrationStatus: after(async () => text(await migrationStatusTask(rt))),
    importSamples: after(async (input) => text(await importSamplesTask(rt, input))),
    poll: after((source, backfillDays) => pollTask(rt, source, backfillDays)),
    testSource: after((source) => testSourceTask(rt, source)),
    digest: after(async (id) => text(await digestTask(rt, id))),
  };
}
