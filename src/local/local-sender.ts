import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatSender, Destination, RenderedChart } from "../app/chat-sender.ts";
import type { Message } from "../messages/message.ts";
import type { ChannelLog } from "./channel-log.ts";
import { localChannel } from "./local-channel.ts";

export interface LocalSenderOptions {
  log: ChannelLog;
  /** Renders a message as text for the console and the channel files. */
  toText: (message: Message) => string;
  /** Console writer; `null` keeps the console quiet (tests). */
  print: ((text: string) => void) | null;
  /** Folder for `<channel>.txt` transcripts and chart PNGs; null writes no files. */
  folder: string | null;
  now: () => Date;
}

const safeName = (channel: string) => channel.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 80) || "channel";

/** The local chat sink: prints what a channel would get, keeps it for the preview page, and writes files. */
export function createLocalSender(options: LocalSenderOptions): ChatSender {
  return {
    platform: "local",
    async send(destination: Destination, message: Message, charts: readonly RenderedChart[]) {
      const at = options.now().toISOString();
      const channel = localChannel(destination.channel);
      const entry = options.log.append({
        channel,
        at,
        author: "bot",
        text: null,
        message,
        charts: charts.map((c) => c.id),
      });
      const text = options.toText(message);
      options.print?.(`\n── #${channel} · ${at} ──\n${text}\n`);
      if (options.folder) {
        await mkdir(options.folder, { recursive: true });
        await appendFile(join(options.folder, `${safeName(channel)}.txt`), `── ${at} ──\n${text}\n\n`);
        for (const chart of charts) {
          if (chart.png) await writeFile(join(options.folder, `chart-${chart.id}.png`), chart.png);
        }
      }
      return { messageId: `local-${entry.id}` };
    },
  };
}
