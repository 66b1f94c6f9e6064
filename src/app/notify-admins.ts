import { enqueueDelivery } from "../db/deliveries-repository.ts";
import { STATUS_SYMBOL } from "../kpi/status.ts";
import type { PollOutcome } from "./poll-source.ts";
import type { Runtime } from "./runtime.ts";

/**
 * Tells the admins about a failing source once per outage (the first failure in a row); the KPIs keep
 * their last good data meanwhile and show the source as failing.
 */
export async function notifyAdminsOfFailures(
  rt: Runtime,
  workspace: string,
  outcomes: readonly PollOutcome[],
): Promise<number> {
  let queued = 0;
  for (const o of outcomes) {
    if (o.ok && o.recovered) {
      if (await notifyRecovery(rt, workspace, o.source)) queued++;
      continue;
    }
    if (o.ok || !o.notifyAdmins) continue;
    const at = rt.clock.now();
    const text = `Source "${o.source}" failed: ${o.error}`;
    const { created } = await enqueueDelivery(rt.db, {
      idempotencyKey: `source-failed:${workspace}:${o.source}:${at.toISOString()}`,
      workspace,
      platform: "local",
      channel: rt.config.adminChannel,
      payload: {
        message: {
          summary: text,
          tone: "error",
          blocks: [
            { type: "header", text: `${STATUS_SYMBOL.error} Source ${o.source} is failing` },
            { type: "text", text: o.error },
            {
              type: "text",
              text: "Its KPIs keep their last good data and show the status `source error` until a poll succeeds. You will not be told again during this outage.",
            },
            { type: "actions", buttons: [{ label: "Sources", command: "sources" }] },
          ],
        },
      },
      now: at,
    });
    if (created) queued++;
  }
  return queued;
}

/** Tells the admins once that a source they were told about is polling again. */
async function notifyRecovery(rt: Runtime, workspace: string, source: string): Promise<boolean> {
  const at = rt.clock.now();
  const text = `Source "${source}" is working again.`;
  const { created } = await enqueueDelivery(rt.db, {
    idempotencyKey: `source-recovered:${workspace}:${source}:${at.toISOString()}`,
    workspace,
    platform: "local",
    channel: rt.config.adminChannel,
    payload: {
      message: {
        summary: text,
        tone: "info",
        blocks: [
          { type: "header", text: `Source ${source} recovered` },
          { type: "text", text: "The last poll succeeded; its KPIs show fresh data again." },
          { type: "actions", buttons: [{ label: "Sources", command: "sources" }] },
        ],
      },
    },
    now: at,
  });
  return created;
}
