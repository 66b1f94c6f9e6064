import type { Message } from "../messages/message.ts";

export interface ChannelEntry {
  id: number;
  channel: string;
  at: string;
  author: "bot" | "user";
  /** What the user typed (author user), or the message the bot posted. */
  text: string | null;
  message: Message | null;
  /** Chart ids in the order of the message's chart blocks, for the preview page's image URLs. */
  charts: string[];
  /** A reply in the thread of this entry. */
  threadOf?: number;
  /** Set when a later update replaced the message (shown as edited). */
  editedAt?: string;
}

type Listener = (entry: ChannelEntry) => void;

/**
 * The local stand-in for chat channels: what the bot posted (and what people typed), kept in memory for the
 * preview page, bounded so a long-running process does not grow without limit.
 */
export class ChannelLog {
  private readonly entries: ChannelEntry[] = [];
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  constructor(private readonly limit = 500) {}

  append(entry: Omit<ChannelEntry, "id">): ChannelEntry {
    const full = { ...entry, id: this.nextId++ };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /**
   * Replaces the message of an earlier entry (a platform edit). False when the entry is gone (past the
   * bound) or unknown. Listeners hear the edited entry again.
   */
  edit(id: number, change: { message: Message; charts: string[]; at: string }): ChannelEntry | null {
    const entry = this.entries.find((e) => e.id === id);
    if (!entry) return null;
    entry.message = change.message;
    entry.charts = change.charts;
    entry.editedAt = change.at;
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Entries after `afterId`, optionally of one channel. */
  since(afterId: number, channel?: string): ChannelEntry[] {
    return this.entries.filter((e) => e.id > afterId && (channel === undefined || e.channel === channel));
  }

  channels(): string[] {
    return [...new Set(this.entries.map((e) => e.channel))].sort();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
