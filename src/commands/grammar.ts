/**
 * The one command grammar as people read it. Help, error hints and the README draw on this
 * table so the usage shown to people matches what the parser accepts.
 */
export interface GrammarEntry {
  topic: string;
  /** One line per form of the command. */
  usage: readonly string[];
  summary: string;
  examples: readonly string[];
}

export const GRAMMAR: readonly GrammarEntry[] = [
  {
    topic: "kpi",
    usage: ["<kpi> [window] [vs previous|vs target] [by <dimension>] [for <dimension>:<value>]"],
    summary: "Show one KPI: its value, change, status and target.",
    examples: ["activation", "activation 28d", "activation vs target", "churn by owner", "first value 7d"],
  },
  {
    topic: "list",
    usage: ["list [stage]"],
    summary: "List every KPI, or the KPIs of one stage.",
    examples: ["list", "list activation", "list customer success"],
  },
  {
    topic: "stage",
    usage: ["stage <stage> [window]"],
    summary: "Show all KPIs of one journey stage.",
    examples: ["stage activation", "stage value realization 90d"],
  },
  {
    topic: "board",
    usage: ["board [window]"],
    summary: "The whole journey on one board.",
    examples: ["board", "board this month"],
  },
  { topic: "digest", usage: ["digest"], summary: "Post the digest here now.", examples: ["digest"] },
  {
    topic: "sources",
    usage: ["sources"],
    summary: "Data sources and when they last updated.",
    examples: ["sources"],
  },
  {
    topic: "subscribe",
    usage: [
      'subscribe digest ["<cron>"|daily|weekdays|weekly] [timezone]',
      "subscribe alerts [all|<stage>|<kpi>] [for <dimension>:<value>]",
    ],
    summary: "Get the digest on a schedule, or status-change alerts, in this channel.",
    examples: [
      "subscribe digest weekdays Europe/Berlin",
      'subscribe digest "0 8 * * 1" America/New_York',
      "subscribe alerts customer success",
      "subscribe alerts churn for owner:Dana",
    ],
  },
  {
    topic: "unsubscribe",
    usage: ["unsubscribe digest|alerts [all|<stage>|<kpi>]|all"],
    summary: "Stop the digest or alerts in this channel.",
    examples: ["unsubscribe digest", "unsubscribe alerts churn", "unsubscribe all"],
  },
  {
    topic: "threshold",
    usage: ["threshold <kpi> <red|amber|green> <|> <number>[%] [window]"],
    summary: "Set when a KPI turns red, amber or green (admins).",
    examples: ["threshold activation red < 50%", "threshold churn amber above 3% 28d"],
  },
  {
    topic: "snooze",
    usage: ["snooze <kpi> <duration>"],
    summary: "Pause alerts for a KPI: 30m, 2h, 3d or 1w, at most 90 days.",
    examples: ["snooze churn 2h", "snooze nps 1w"],
  },
  {
    topic: "ack",
    usage: ["ack <kpi>"],
    summary: "Acknowledge a KPI's open alert: the alert shows who is on it.",
    examples: ["ack churn", "ack activation"],
  },
  {
    topic: "share",
    usage: ["share <command>"],
    summary: "Answer for the whole channel instead of only for you (where the platform answers privately).",
    examples: ["share activation 28d", "share board"],
  },
  {
    topic: "windows",
    usage: ["<N>d | week | month | quarter | this week | this month | this quarter"],
    summary: "Rolling windows end yesterday; calendar windows run from the period's start to date.",
    examples: ["activation 7d", "mrr this month", "nps 90 days"],
  },
  {
    topic: "help",
    usage: ["help [topic]"],
    summary: "This help, or help on one command.",
    examples: ["help threshold"],
  },
];

export function grammarEntry(topic: string): GrammarEntry | undefined {
  return GRAMMAR.find((g) => g.topic === topic);
}

/** The usage line for a topic, in backticks for hints. */
export function usageHint(topic: string): string {
  const entry = grammarEntry(topic);
  if (entry === undefined) return "Type `help` to see the commands.";
  return `Usage: ${entry.usage.map((u) => `\`${u}\``).join(" or ")}`;
}
