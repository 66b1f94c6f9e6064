import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { RenderedChart } from "../app/chat-sender.ts";
import { ClgError, ERROR_CODES, isClgError } from "../errors.ts";
import { findRunningService } from "../local/service-file.ts";
import type { Message } from "../messages/message.ts";
import { LOCAL_TOKEN_HEADER } from "../server/local-token.ts";

export interface AskResult {
  text: string;
  message: Message;
  charts: RenderedChart[];
  via: "service" | "data folder";
}

const answerSchema = z.object({
  text: z.string(),
  message: z.object({ summary: z.string(), blocks: z.array(z.unknown()) }).loose(),
  charts: z.array(z.object({ id: z.string(), altText: z.string(), url: z.string().nullable() })),
});

const refusalSchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES).catch("clg_internal"), message: z.string() }),
});

/** The service's own words for a refusal (413, 403, ...), or its status when it gave none. */
async function refusal(res: Response): Promise<ClgError> {
  const raw = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(raw);
  } catch {
    // Not JSON: fall through to the status line.
  }
  const parsed = refusalSchema.safeParse(body);
  return parsed.success
    ? new ClgError(parsed.data.error.code, parsed.data.error.message)
    : new ClgError("clg_internal", `The running service answered ${res.status}: ${raw.slice(0, 300)}`);
}

/**
 * PGlite allows one process per data folder: while the service runs, ask it over loopback with the token
 * it left in the service file; the answer and its charts are the same as the running bot gives.
 */
export async function askRunningService(
  dataDir: string,
  text: string,
  channel: string,
): Promise<AskResult | null> {
  const running = findRunningService(dataDir);
  if (!running) return null;
  const base = `http://127.0.0.1:${running.port}`;
  const headers = { [LOCAL_TOKEN_HEADER]: running.token };
  let res: Response;
  try {
    res = await fetch(`${base}/api/local/ask`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ text, channel, user: "cli" }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new ClgError(
      "clg_db_unreachable",
      `The clg service (pid ${running.pid}) holds ${dataDir} but does not answer on port ${running.port}.`,
      {
        hint: "Wait for it to finish starting, or stop it and run the command again.",
        cause: e,
      },
    );
  }
  if (!res.ok) throw await refusal(res);
  const body = answerSchema.parse(await res.json());
  const charts: RenderedChart[] = [];
  for (const c of body.charts) {
    const png = c.url ? Buffer.from(await (await fetch(`${base}${c.url}`)).arrayBuffer()) : null;
    charts.push({ id: c.id, altText: c.altText, png });
  }
  return { text: body.text, message: body.message as unknown as Message, charts, via: "service" };
}

interface WrittenChart {
  id: string;
  altText: string;
  /** Where the PNG was written; null when the chart was not drawn in time (the answer is text only). */
  file: string | null;
}

/** Writes the PNGs of an answer. */
async function writeCharts(folder: string, charts: readonly RenderedChart[]): Promise<WrittenChart[]> {
  const written: WrittenChart[] = [];
  for (const c of charts) {
    let file: string | null = null;
    if (c.png) {
      await mkdir(folder, { recursive: true });
      file = resolve(join(folder, `chart-${c.id}.png`));
      await writeFile(file, c.png);
    }
    written.push({ id: c.id, altText: c.altText, file });
  }
  return written;
}

export interface AskOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Prints an answer. `--json` puts exactly one JSON document on stdout (the message and the chart files);
 * otherwise the text goes to stdout, or to stderr when the answer is an error. Returns whether it was one,
 * so the command can exit non-zero.
 */
export async function printAnswer(
  answer: AskResult,
  o: { chartsFolder: string; json?: boolean },
  output: AskOutput,
): Promise<{ failed: boolean }> {
  const failed = answer.message.tone === "error";
  const charts = await writeCharts(o.chartsFolder, answer.charts);
  if (o.json) {
    output.out(JSON.stringify({ message: answer.message, charts }, null, 2));
    return { failed };
  }
  const lines = [
    answer.text,
    ...charts.map((c) =>
      c.file ? `chart: ${c.file} — ${c.altText}` : `chart not drawn in time (text only): ${c.altText}`,
    ),
  ];
  (failed ? output.err : output.out)(lines.join("\n"));
  return { failed };
}

/** A failure as the one JSON document `--json` promises on stdout (the human line still goes to stderr). */
export function errorJson(error: unknown): string {
  const e = isClgError(error)
    ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
    : { code: "clg_internal", message: error instanceof Error ? error.message : String(error) };
  return JSON.stringify({ error: e }, null, 2);
}
