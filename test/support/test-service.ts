import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "../../src/app/clock.ts";
import { createRuntime, type LocalRuntime as Runtime } from "../../src/compose/runtime.ts";
import { type RunningService, startService } from "../../src/compose/service.ts";
import { parseConfig } from "../../src/config/config.ts";
import { createLogger } from "../../src/logging/create-logger.ts";
import { LOCAL_TOKEN_HEADER } from "../../src/server/local-token.ts";
import { openTestDb } from "./test-db.ts";
import { TEST_NOW } from "./test-runtime.ts";

export interface TestService {
  /** This start's token for the local endpoints, in its header, as clg reads it from the service file. */
  tokenHeader(): Record<string, string>;
  rt: Runtime;
  service: RunningService;
  base: string;
  dataDir: string;
  printed: string[];
  stop(): Promise<void>;
}

/**
 * The real service (HTTP, first start, schedules, outbox) on the test database, listening on a free
 * loopback port, with its service file in a temporary data folder.
 */
export async function startTestService(
  opts: { charts?: boolean; env?: Record<string, string> } = {},
): Promise<TestService> {
  const dataDir = mkdtempSync(join(tmpdir(), "clg-service-"));
  const opened = await openTestDb();
  const printed: string[] = [];
  const config = parseConfig({
    CLG_DATA_DIR: dataDir,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    ...opts.env,
  });
  const rt = createRuntime(config, opened, {
    clock: fixedClock(TEST_NOW),
    logger: createLogger("silent"),
    print: (t) => printed.push(t),
    charts: opts.charts ?? false,
    sinkFolder: join(dataDir, "local-sink"),
  });
  const service = await startService(rt);
  await service.ready;
  return {
    rt,
    service,
    base: `http://127.0.0.1:${service.port}`,
    dataDir,
    printed,
    tokenHeader: () => ({
      [LOCAL_TOKEN_HEADER]: JSON.parse(readFileSync(join(dataDir, "service.json"), "utf8")).token,
    }),
    async stop() {
      await service.stop();
      await rt.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
