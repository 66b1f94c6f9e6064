import { type ChatSender, SLACK_CHANNEL_LIMITS } from "../app/chat-sender.ts";
import { DeliveryError, reasonForPlatformError } from "../app/delivery-error.ts";
import { retryAfterMs } from "../retry-timing.ts";

/**
 * TEST PLATFORM, not a chat integration: when CLG_TEST_CHAT_URL is set and Slack is not configured,
 * Slack deliveries go as JSON to a local stand-in that records every post, reply and update and may
 * answer like Slack (429 with Retry-After, permanent error codes). It declares Slack's per-channel limit, so the production outbox path
 * (claims, fencing, pacing, schedules) runs unmodified against it; only the network edge is a stand-in.
 */
export function createStandInSender(baseUrl: string, fetchImpl: typeof fetch = fetch): ChatSender {
  const call = async (path: string, init?: RequestInit) => {
    try {
      return await fetchImpl(new URL(path, baseUrl), { ...init, signal: AbortSignal.timeout(10_000) });
    } catch (cause) {
      throw new DeliveryError("The chat stand-in did not answer.", { reason: "transient", cause });
    }
  };
  return {
    platform: "slack",
    limits: SLACK_CHANNEL_LIMITS,
    async send(destination, message, _charts, ref) {
      const res = await call("/send", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          workspace: destination.workspace,
          channel: destination.channel,
          kind: ref?.kind ?? "post",
          parentMessageId: ref?.parentMessageId ?? null,
          key: ref?.idempotencyKey ?? null,
          summary: message.summary,
        }),
      });
      const body = (await res.json().catch(() => ({}))) as {
        ok?: boolean;
        error?: string;
        messageId?: string;
      };
      if (res.ok && body.ok && body.messageId) return { messageId: body.messageId };
      const retryAfter = retryAfterMs(res.headers.get("retry-after")) ?? 0;
      throw new DeliveryError(`The chat stand-in answered ${res.status} ${body.error ?? ""}`.trim(), {
        reason: reasonForPlatformError(body.error, res.status),
        ...(retryAfter > 0 ? { retryAfterMs: retryAfter } : {}),
        ...(body.error ? { platformCode: body.error } : {}),
      });
    },
    async findSent(destination, idempotencyKey) {
      const q = new URLSearchParams({ channel: destination.channel, key: idempotencyKey });
      const res = await call(`/find?${q}`);
      if (res.status === 404) return null;
      if (!res.ok)
        throw new DeliveryError(`The chat stand-in answered ${res.status}`, { reason: "transient" });
      const body = (await res.json()) as { messageId: string };
      return { messageId: body.messageId };
    },
  };
}
