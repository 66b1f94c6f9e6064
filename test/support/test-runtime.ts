import { bootstrapWorkspace } from "../../src/app/bootstrap.ts";
import { type Clock, fixedClock } from "../../src/app/clock.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import {
  createRuntime,
  type LocalRuntime as Runtime,
  type RuntimeOptions,
} from "../../src/compose/runtime.ts";
import { parseConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/logging/create-logger.ts";
import { openTestDb } from "./test-db.ts";

/** The moment the suite lives in: the demo's story ends the day before. */
export const TEST_NOW = "2026-11-23T10:00:00Z";

export interface TestRuntime extends Runtime {
  clock: Clock & { set(to: Date | string): void };
  /** Everything the local sink printed. */
  printed: string[];
}

/**
 * A runtime on the test database (PGlite in memory, or a random schema of TEST_DATABASE_URL), with a
 * fixed clock, quiet logs and the local sink captured. `bootstrap` applies the default catalog, loads the
 * demo history and runs the first evaluation, as `npm start` does.
 */
export async function openTestRuntime(
  opts: {
    bootstrap?: boolean;
    env?: Record<string, string>;
    runtime?: RuntimeOptions;
    applicationName?: string;
  } = {},
): Promise<TestRuntime> {
  const opened = await openTestDb(opts.applicationName ? { applicationName: opts.applicationName } : {});
  const clock = fixedClock(TEST_NOW);
  const printed: string[] = [];
  const config = parseConfig({ CLG_DATA_DIR: ":memory:", LOG_LEVEL: "silent", ...opts.env });
  const rt = createRuntime(config, opened, {
    clock,
    logger: createLogger("silent"),
    print: (t) => printed.push(t),
    charts: false,
    sinkFolder: null,
    ...opts.runtime,
  });
  if (opts.bootstrap !== false) {
    await bootstrapWorkspace(rt.pollDeps, rt.config, {});
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, rt.config.workspace));
  }
  return Object.assign(rt, { clock, printed });
}
