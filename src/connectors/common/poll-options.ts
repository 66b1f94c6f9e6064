import { z } from "zod";

/**
 * Options every source's `config` may carry next to its own fields, read by the poller (not the
 * connector): how long a poll may take, how much history a new KPI gets, how many recent days each poll
 * reads again for late data, and how long after a day ends its numbers are final.
 */
export const pollOptionsShape = {
  /** The whole poll of this source must finish within this time. */
  timeout_ms: z.number().int().min(1_000).max(3_600_000).optional(),
  /** History fetched for a KPI that has none yet (a new source, or a KPI added to an old one). */
  history_days: z.number().int().min(1).max(3650).optional(),
  /** Recent days every poll reads again, since sources revise them (late events, refunds). */
  revision_days: z.number().int().min(0).max(90).optional(),
  /** Hours after a day ends (catalog timezone) before the source's numbers for it are final. */
  complete_after_hours: z.number().min(0).max(240).optional(),
} as const;

export const pollOptionsSchema = z.object(pollOptionsShape);
export type PollOptions = z.infer<typeof pollOptionsSchema>;

export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_HISTORY_DAYS = 90;
export const DEFAULT_REVISION_DAYS = 3;

/** The poll options of a source's config, with defaults; a bad value was refused at apply already. */
export function readPollOptions(
  config: Record<string, unknown>,
  completeLagHours: number,
): Required<PollOptions> {
  const parsed = pollOptionsSchema.safeParse({
    timeout_ms: config.timeout_ms,
    history_days: config.history_days,
    revision_days: config.revision_days,
    complete_after_hours: config.complete_after_hours,
  });
  const o = parsed.success ? parsed.data : {};
  return {
    timeout_ms: o.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    history_days: o.history_days ?? DEFAULT_HISTORY_DAYS,
    revision_days: o.revision_days ?? DEFAULT_REVISION_DAYS,
    complete_after_hours: o.complete_after_hours ?? completeLagHours,
  };
}
