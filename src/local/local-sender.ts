import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatSender, Destination, RenderedChart, SendRef } from "../app/chat-sender.ts";
import { DeliveryError } from "../app/delivery-error.ts";
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
const MESSAGE_ID = /^local-(\d+)$/;

function entryId(ref: SendRef): number {
  const match = MESSAGE_ID.exec(ref.parentMessageId ?? "");
  if (!match)
    throw new DeliveryError(`A ${ref.kind} needs the local message it belongs to.`, {
      reason: "bad_message",
    });
  return Number(match[1]);
}

/**
 * The local chat sink: prints what a channel would get, keeps it for the preview page, and writes files.
 * A reply is shown in the thread of its parent entry; an update edits the earlier entry in place.
 */
export function createLocalSender(options: LocalSenderOptions): ChatSender {
  const write = async (channel: string, heading: string, text: string, charts: readonly RenderedChart[]) => {
    options.print?.(`\n── #${channel} · ${heading} ──\n${text}\n`);
    if (!options.folder) return;
    await mkdir(options.folder, { recursive: true });
    await appendFile(join(options.folder, `${safeName(channel)}.txt`), `── ${heading} ──\n${text}\n\n`);
    for (const chart of charts) {
      if (chart.png) await writeFile(join(options.folder, `chart-${chart.id}.png`), chart.png);
    }
  };
  return {
    platform: "local",
    limits: [],
    async send(destination: Destination, message: Message, charts: readonly RenderedChart[], ref?: SendRef) {
      const at = options.now().toISOString();
      const channel = localChannel(destination.channel);
      const chartIds = charts.map((c) => c.id);
      if (ref?.kind === "update") {
        const id = entryId(ref);
        if (!options.log.edit(id, { message, charts: chartIds, at }))
          throw new DeliveryError(`The local message ${id} to update is gone.`, { reason: "bad_message" });
        await write(channel, `${at} · edited message ${id}`, options.toText(message), charts);
        return { messageId: `local-${id}` };
      }
      const threadOf = ref?.kind === "reply" ? entryId(ref) : undefined;
      const entry = options.log.append({
        channel,
        at,
        author: "bot",
        text: null,
        message,
        charts: chartIds,
        ...(threadOf !== undefined ? { threadOf } : {}),
      });
      const heading = threadOf !== undefined ? `${at} · reply in thread ${threadOf}` : at;
      await write(channel, heading, options.toText(message), charts);
      return { messageId: `local-${entry.id}` };
    },
  };
}
