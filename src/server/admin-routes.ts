import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { type ErrorCode, isClgError } from "../errors.ts";

/** What one administration task printed; `failed` makes `clg` exit non-zero. */
export interface AdminOutput {
  text: string;
  failed: boolean;
}

/** The `clg` tasks the running service performs for the CLI (PGlite allows one process per data folder). */
export interface AdminApi {
  exportCatalog(workspace?: string): Promise<AdminOutput>;
  applyCatalog(input: ApplyCatalogBody): Promise<AdminOutput>;
  migrationStatus(): Promise<AdminOutput>;
  importSamples(input: ImportSamplesBody): Promise<AdminOutput>;
  poll(source: string | undefined, backfillDays?: number): Promise<AdminOutput>;
  testSource(source: string): Promise<AdminOutput>;
  digest(subscription: string | undefined): Promise<AdminOutput>;
}

// A file travels as its text: the service never opens a path it is sent.
const fileName = z.string().min(1).max(255);
const workspaceId = z.string().min(1).max(200);
const applyCatalogBody = z.object({
  text: z.string().max(5_000_000),
  fileName,
  dryRun: z.boolean().default(false),
  prune: z.boolean().default(false),
  actor: z.string().min(1).max(120),
  workspace: workspaceId.optional(),
});
export type ApplyCatalogBody = z.infer<typeof applyCatalogBody>;
const importSamplesBody = z.object({ text: z.string(), fileName });
export type ImportSamplesBody = z.infer<typeof importSamplesBody>;
const pollBody = z.object({
  source: z.string().min(1).max(120).optional(),
  backfillDays: z.number().int().min(1).max(3650).optional(),
});
const testSourceBody = z.object({ source: z.string().min(1).max(120) });
const digestBody = z.object({ subscription: z.string().min(1).max(20) });

const STATUS: Partial<Record<ErrorCode, 404 | 500>> = { clg_not_found: 404, clg_internal: 500 };

function errorReply(c: Context, status: 400 | 404 | 413 | 415 | 500, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

/**
 * JSON in, JSON out. Known errors travel with their code, message, hint and suggestions so `clg` prints
 * them exactly as it would have on the data folder; anything else goes to the app's error handler.
 */
async function run(c: Context, task: () => Promise<AdminOutput>) {
  try {
    return c.json(await task());
  } catch (e) {
    if (!isClgError(e)) throw e;
    const body = { code: e.code, message: e.message, hint: e.hint, suggestions: e.suggestions };
    return c.json({ error: body }, STATUS[e.code] ?? 400);
  }
}

/** Parses a JSON body; only `application/json` is accepted, so a web page cannot post a form here. */
async function readBody<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<{ ok: true; data: z.infer<T> } | { ok: false; reply: Response }> {
  if (!(c.req.header("content-type") ?? "").startsWith("application/json")) {
    return { ok: false, reply: errorReply(c, 415, "clg_bad_request", "Send the request as JSON.") };
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, reply: errorReply(c, 400, "clg_bad_request", "The body is not valid JSON.") };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return { ok: false, reply: errorReply(c, 400, "clg_bad_request", message) };
  }
  return { ok: true, data: parsed.data };
}

/** The administration routes, mounted under /api/local (loopback only, like the rest of it). */
export function adminRoutes(admin: AdminApi): Hono {
  const app = new Hono();
  app.use(
    "*",
    bodyLimit({
      maxSize: 50 * 1024 * 1024,
      onError: (c) => errorReply(c, 413, "clg_bad_request", "The file is too large to send (50 MB at most)."),
    }),
  );

  app.get("/catalog", (c) => {
    const workspace = workspaceId.safeParse(c.req.query("workspace"));
    return run(c, () => admin.exportCatalog(workspace.success ? workspace.data : undefined));
  });
  app.post("/catalog/apply", async (c) => {
    const body = await readBody(c, applyCatalogBody);
    return body.ok ? run(c, () => admin.applyCatalog(body.data)) : body.reply;
  });
  app.get("/migrations", (c) => run(c, () => admin.migrationStatus()));
  app.post("/samples/import", async (c) => {
    const body = await readBody(c, importSamplesBody);
    return body.ok ? run(c, () => admin.importSamples(body.data)) : body.reply;
  });
  app.post("/poll", async (c) => {
    const body = await readBody(c, pollBody);
    return body.ok ? run(c, () => admin.poll(body.data.source, body.data.backfillDays)) : body.reply;
  });
  app.post("/sources/test", async (c) => {
    const body = await readBody(c, testSourceBody);
    return body.ok ? run(c, () => admin.testSource(body.data.source)) : body.reply;
  });
  app.get("/digest", (c) => run(c, () => admin.digest(undefined)));
  app.post("/digest", async (c) => {
    const body = await readBody(c, digestBody);
    return body.ok ? run(c, () => admin.digest(body.data.subscription)) : body.reply;
  });
  return app;
}
