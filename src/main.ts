import { formatCliError } from "./cli/report-error.ts";
import { assertPortFree } from "./compose/assert-port-free.ts";
import { openRuntime } from "./compose/runtime.ts";
import { startService } from "./compose/service.ts";
import { parseConfig } from "./config/config.ts";
import { createLogger } from "./logging/create-logger.ts";

/** `npm start`: the service on whatever the environment configures (PGlite + demo + local sink when nothing is). */
async function main(): Promise<void> {
  const config = parseConfig();
  await assertPortFree(config.port, config.host);
  const rt = await openRuntime(config, { logger: createLogger(config.logLevel) });
  const service = await startService(rt, { slack: { env: process.env } });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    rt.logger.info({ signal }, "shutting down");
    // Each step below is bounded (grace, then 2 s to give claims back, 2 s for HTTP, 5 s for the
    // database); this only catches a shutdown that hangs anyway.
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 20_000);
    force.unref();
    let code = 0;
    try {
      await service.stop();
    } catch (err) {
      code = 1;
      rt.logger.error({ err }, "background work did not stop cleanly");
    }
    try {
      // A query stuck on another session's lock must not hold the exit for ever.
      const stuck = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("closing the database took over 5 s")), 5_000).unref(),
      );
      await Promise.race([rt.close(), stuck]);
    } catch (err) {
      code = 1;
      rt.logger.error({ err }, "the database did not close cleanly");
    }
    rt.logger.info({ signal, code }, "stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("unhandledRejection", (err) => rt.logger.error({ err }, "unhandled rejection (kept running)"));
  await service.ready;
}

main().catch((error) => {
  process.stderr.write(`${formatCliError(error, Boolean(process.env.CLG_DEBUG))}\n`);
  process.exit(1);
});
