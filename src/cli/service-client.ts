import { z } from "zod";
import type { Config } from "../config/config.ts";
import { ClgError, ERROR_CODES } from "../errors.ts";
import { findRunningService, type ServiceFile } from "../local/service-file.ts";
import { LOCAL_TOKEN_HEADER } from "../server/local-token.ts";

const outputSchema = z.object({ text: z.string(), failed: z.boolean() });
const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string().optional(),
    suggestions: z.array(z.string()).optional(),
  }),
});

export type ServiceOutput = z.infer<typeof outputSchema>;

/** The service running on this data folder, or null (PostgreSQL setups share the database instead). */
export function runningService(config: Config): ServiceFile | null {
  return config.databaseUrl ? null : findRunningService(config.dataDir);
}

/**
 * Runs one administration task on the running service (/api/local, loopback only) and returns what it
 * printed. A refusal comes back as the same coded error the CLI would have raised itself.
 */
export async function callService(
  running: ServiceFile,
  dataDir: string,
  path: string,
  body?: Record<string, unknown>,
): Promise<ServiceOutput> {
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${running.port}/api/local${path}`, {
      method: body ? "POST" : "GET",
      headers: {
        [LOCAL_TOKEN_HEADER]: running.token,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10 * 60_000),
    });
  } catch (e) {
    throw new ClgError(
      "clg_db_unreachable",
      `The clg service (pid ${running.pid}) holds ${dataDir} but does not answer on port ${running.port}.`,
      { hint: "Wait for it to finish starting, or stop it and run the command again.", cause: e },
    );
  }
  const json: unknown = await res.json().catch(() => null);
  const ok = outputSchema.safeParse(json);
  if (res.ok && ok.success) return ok.data;
  const failure = errorSchema.safeParse(json);
  if (!failure.success) {
    throw new ClgError("clg_internal", `The running service answered ${res.status} to ${path}.`, {
      hint: "Its log has the details.",
    });
  }
  const { code, message, hint, suggestions } = failure.data.error;
  const known = (ERROR_CODES as readonly string[]).includes(code);
  throw new ClgError(
    known ? (code as ClgError["code"]) : "clg_internal",
    known ? message : `${message} (${code})`,
    {
      ...(hint ? { hint } : {}),
      suggestions: suggestions ?? [],
    },
  );
}
