import type { Db } from "../db/db.ts";
import { enqueueDelivery } from "../db/deliveries-repository.ts";
import type { Message } from "../messages/message.ts";

export interface AlertDelivery {
  /** The delivery's idempotency key: the same key twice leaves one delivery. */
  key: string;
  /** A new message, a reply in the thread of `parentKey`'s message, or an edit of that message. */
  kind: "post" | "reply" | "update";
  /** The idempotency key of the delivery whose message is the thread root or the message to edit. */
  parentKey: string | null;
  workspace: string;
  platform: string;
  channel: string;
  message: Message;
  now: Date;
  /** Not sent after this time: news that old is skipped instead of posted late as if new. */
  staleAt?: Date;
}

/**
 * The one place alerts enter the outbox. The outbox resolves `parentKey` to the platform's message id
 * when it sends, and holds a reply or an edit while its parent is unsent.
 */
export async function enqueueAlert(db: Db, d: AlertDelivery): Promise<boolean> {
  const { created } = await enqueueDelivery(db, {
    idempotencyKey: d.key,
    kind: d.kind,
    ...(d.parentKey !== null ? { parentKey: d.parentKey } : {}),
    workspace: d.workspace,
    platform: d.platform,
    channel: d.channel,
    payload: { message: d.message },
    now: d.now,
    ...(d.staleAt ? { staleAt: d.staleAt } : {}),
  });
  return created;
}
