import type { Stage } from "../kpi/stage.ts";
import type { RuleStatus } from "../kpi/status.ts";

/** Alert scope: all KPIs, one stage, or one KPI. */
export type AlertScope = { kind: "all" } | { kind: "stage"; stage: Stage } | { kind: "kpi"; kpi: string };

/**
 * The one command grammar, parsed from what people type after `/clg` (or to the bot, or to `clg ask`).
 * KPI names are resolved to slugs at parse time against the workspace's catalog vocabulary.
 */
export type Command = CommandBody & {
  /**
   * `share ...`: the answer is for everyone in the channel, not only for the person who asked (on
   * platforms that can answer privately).
   */
  share?: true;
};

type CommandBody =
  | { kind: "help"; topic: string | null }
  | { kind: "list"; stage: Stage | null }
  | {
      kind: "kpi";
      kpi: string;
      window: string | null;
      compare: "previous" | "target";
      /** Break down by a dimension ("owner", "plan"). */
      by: string | null;
      /** Limit to one segment ("owner:Dana Ruiz"). */
      segment: string | null;
    }
  | { kind: "stage"; stage: Stage; window: string | null }
  | { kind: "board"; window: string | null }
  | { kind: "digest" }
  | { kind: "subscribe_digest"; cron: string; timezone: string | null }
  | { kind: "subscribe_alerts"; scope: AlertScope; segment: string | null }
  | { kind: "unsubscribe"; what: "digest" | "alerts" | "all"; scope: AlertScope | null }
  | {
      kind: "threshold";
      kpi: string;
      status: RuleStatus;
      op: "below" | "above";
      value: number;
      /** The number was written with "%": only a percent KPI takes it. */
      percent?: boolean;
      window: string | null;
    }
  | { kind: "snooze"; kpi: string; minutes: number; text: string }
  | { kind: "ack"; kpi: string }
  | { kind: "sources" };

export type CommandKind = Command["kind"];

/** Commands that change shared state and so need an admin. */
export const ADMIN_COMMANDS: readonly CommandKind[] = ["threshold"];

/** What the parser needs to know about the workspace's catalog. */
export interface Vocabulary {
  /** slug -> aliases (lower-case), plus the display name as one more alias. */
  kpis: { slug: string; name: string; aliases: readonly string[]; dimensions: readonly string[] }[];
}
