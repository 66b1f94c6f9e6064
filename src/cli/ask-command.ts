import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { z } from "zod";
import type { RenderedChart } from "../app/chat-sender.ts";
import { ClgError } from "../errors.ts";
import { findRunningService } from "../local/service-file.ts";
import type { Message } from "../messages/message.ts";

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

/**
 * PGlite allows one process per data folder: while the service runs, ask it over loopback; the answer
 * and its charts are the same as the running bot gives.
 */
export async function askRunningService(
  dataDir: string,
  text: string,
  channel: string,
): Promise<AskResult | null> {
  const running = findRunningService(dataDir);
  if (!running) return null;
  const base = `http://127.0.0.1:${running.port}`;
  let res: Response;
  try {
    res = await fetch(`${base}/api/local/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
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
  if (!res.ok)
    throw new ClgError(
      "clg_internal",
      `The running service answered ${res.status}: ${(await res.text()).slice(0, 300)}`,
    );
  const body = answerSchema.parse(await res.json());
  const charts: RenderedChart[] = [];
  for (const c of body.charts) {
    const png = c.url ? Buffer.from(await (await fetch(`${base}${c.url}`)).arrayBuffer()) : null;
    charts.push({ id: c.id, altText: c.altText, png });
  }
  return { text: body.text, message: body.message as unknown as Message, charts, via: "service" };
}

/** Writes the PNGs of an answer and returns one line per chart for the terminal. */
export async function writeCharts(folder: string, charts: readonly RenderedChart[]): Promise<string[]> {
  const lines: string[] = [];
  for (const c of charts) {
    if (!c.png) {
      lines.push(`chart not drawn in time (text only): ${c.altText}`);
      continue;
    }
    await mkdir(folder, { recursive: true });
    const file = resolve(join(folder, `chart-${c.id}.png`));
    await writeFile(file, c.png);
    lines.push(`chart: ${file} — ${c.altText}`);
  }
  return lines;
}
