import { createServer } from "node:net";
import { ClgError } from "../errors.ts";

/**
 * Fails with one clear line when the port is taken, before the service creates its data folder or runs a
 * migration: a service that cannot listen should leave nothing behind. Port 0 (any free port) always passes.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        reject(
          new ClgError(
            "clg_config_invalid",
            `port ${port} is in use: set PORT=${port === 3000 ? 3001 : port + 1} (or another free port) or stop the other process`,
          ),
        );
      else if (e.code === "EACCES")
        reject(
          new ClgError(
            "clg_config_invalid",
            `port ${port} needs more privileges on this machine: set PORT to 1024 or above`,
          ),
        );
      else reject(e);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
