import { describe, expect, it } from "vitest";
import type { Command } from "../../src/commands/command.ts";
import { commandText } from "../../src/commands/command-text.ts";
import { parseCommand } from "../../src/commands/parse-command.ts";
import { vocab } from "./vocabulary.ts";

const kpi = (slug: string, extra: Partial<Extract<Command, { kind: "kpi" }>> = {}): Command => ({
  kind: "kpi",
  kpi: slug,
  window: null,
  compare: "previous",
  by: null,
  segment: null,
  ...extra,
});

const valid: [string, Command][] = [
  ["", { kind: "help", topic: null }],
  ["help", { kind: "help", topic: null }],
  ["HELP Threshold", { kind: "help", topic: "threshold" }],
  ["list", { kind: "list", stage: null }],
  ["list value realization", { kind: "list", stage: "value_realization" }],
  ["list customer_success", { kind: "list", stage: "customer_success" }],
  ["activation", kpi("activation")],
  ["Activation Rate", kpi("activation")],
  ["activation 28d", kpi("activation", { window: "28d" })],
  ["activation 28 days", kpi("activation", { window: "28d" })],
  ["activation last 7 days", kpi("activation", { window: "7d" })],
  ["activation vs target", kpi("activation", { compare: "target" })],
  ["activation 90d vs previous", kpi("activation", { window: "90d" })],
  ["activation this quarter vs goal", kpi("activation", { window: "quarter", compare: "target" })],
  ["churn by owner", kpi("churn", { by: "owner" })],
  ["churn by Owner 28d", kpi("churn", { by: "owner", window: "28d" })],
  ["nps 90d", kpi("nps", { window: "90d" })],
  ["first value 7d", kpi("time_to_first_value", { window: "7d" })],
  ["First-Value", kpi("time_to_first_value")],
  ["time_to_first_value week", kpi("time_to_first_value", { window: "week" })],
  ["monthly recurring revenue this month", kpi("mrr", { window: "month" })],
  ["churn for owner:Dana", kpi("churn", { segment: "owner:Dana" })],
  ["churn for owner:Dana Ruiz 28d", kpi("churn", { segment: "owner:Dana Ruiz", window: "28d" })],
  ['churn for owner:"Dana Ruiz" by segment', kpi("churn", { segment: "owner:Dana Ruiz", by: "segment" })],
  ["stage activation", { kind: "stage", stage: "activation", window: null }],
  ["stage value realization 90d", { kind: "stage", stage: "value_realization", window: "90d" }],
  ["stage Value-Realization", { kind: "stage", stage: "value_realization", window: null }],
  ["stage continued_value month", { kind: "stage", stage: "continued_value", window: "month" }],
  ["value growth", { kind: "stage", stage: "value_growth", window: null }],
  ["board", { kind: "board", window: null }],
  ["board this week", { kind: "board", window: "week" }],
  ["digest", { kind: "digest" }],
  ["sources", { kind: "sources" }],
  ["subscribe digest", { kind: "subscribe_digest", cron: "0 9 * * 1-5", timezone: null }],
  [
    'subscribe digest "0 8 * * 1" America/New_York',
    { kind: "subscribe_digest", cron: "0 8 * * 1", timezone: "America/New_York" },
  ],
  [
    "subscribe digest “0 9 * * 1-5” europe/berlin",
    { kind: "subscribe_digest", cron: "0 9 * * 1-5", timezone: "Europe/Berlin" },
  ],
  ["subscribe digest 30 7 * * 1-5 UTC", { kind: "subscribe_digest", cron: "30 7 * * 1-5", timezone: "UTC" }],
  ["subscribe digest daily", { kind: "subscribe_digest", cron: "0 9 * * *", timezone: null }],
  [
    "subscribe digest weekly Asia/Tokyo",
    { kind: "subscribe_digest", cron: "0 9 * * 1", timezone: "Asia/Tokyo" },
  ],
  ["subscribe digest weekdays at 7pm", { kind: "subscribe_digest", cron: "0 19 * * 1-5", timezone: null }],
  ["subscribe alerts", { kind: "subscribe_alerts", scope: { kind: "all" }, segment: null }],
  ["subscribe alerts all", { kind: "subscribe_alerts", scope: { kind: "all" }, segment: null }],
  [
    "subscribe alerts customer success",
    { kind: "subscribe_alerts", scope: { kind: "stage", stage: "customer_success" }, segment: null },
  ],
  [
    "subscribe alerts stage activation",
    { kind: "subscribe_alerts", scope: { kind: "stage", stage: "activation" }, segment: null },
  ],
  [
    "subscribe alerts activation",
    { kind: "subscribe_alerts", scope: { kind: "kpi", kpi: "activation" }, segment: null },
  ],
  [
    "subscribe alerts churn for owner:Dana Ruiz",
    { kind: "subscribe_alerts", scope: { kind: "kpi", kpi: "churn" }, segment: "owner:Dana Ruiz" },
  ],
  ["unsubscribe digest", { kind: "unsubscribe", what: "digest", scope: null }],
  ["unsubscribe alerts", { kind: "unsubscribe", what: "alerts", scope: null }],
  ["unsubscribe alerts churn", { kind: "unsubscribe", what: "alerts", scope: { kind: "kpi", kpi: "churn" } }],
  [
    "unsubscribe alerts value growth",
    { kind: "unsubscribe", what: "alerts", scope: { kind: "stage", stage: "value_growth" } },
  ],
  ["unsubscribe all", { kind: "unsubscribe", what: "all", scope: null }],
  [
    "threshold activation red < 50%",
    {
      kind: "threshold",
      kpi: "activation",
      status: "red",
      op: "below",
      value: 50,
      percent: true,
      window: null,
    },
  ],
  [
    "threshold activation red <50",
    { kind: "threshold", kpi: "activation", status: "red", op: "below", value: 50, window: null },
  ],
  [
    "threshold churn amber >= 3.5 % 28d",
    {
      kind: "threshold",
      kpi: "churn",
      status: "amber",
      op: "above",
      value: 3.5,
      percent: true,
      window: "28d",
    },
  ],
  [
    "threshold first value green below 2",
    { kind: "threshold", kpi: "time_to_first_value", status: "green", op: "below", value: 2, window: null },
  ],
  [
    "threshold nps red below -10",
    { kind: "threshold", kpi: "nps", status: "red", op: "below", value: -10, window: null },
  ],
  [
    "threshold mrr amber < 1,000,000",
    { kind: "threshold", kpi: "mrr", status: "amber", op: "below", value: 1_000_000, window: null },
  ],
  [
    "threshold activation red &lt; 50%",
    {
      kind: "threshold",
      kpi: "activation",
      status: "red",
      op: "below",
      value: 50,
      percent: true,
      window: null,
    },
  ],
  [
    "threshold activation red ≤ 50",
    { kind: "threshold", kpi: "activation", status: "red", op: "below", value: 50, window: null },
  ],
  ["snooze churn 30m", { kind: "snooze", kpi: "churn", minutes: 30, text: "30m" }],
  ["snooze churn 2h", { kind: "snooze", kpi: "churn", minutes: 120, text: "2h" }],
  ["snooze first value 3d", { kind: "snooze", kpi: "time_to_first_value", minutes: 4320, text: "3d" }],
  ["snooze nps 1w", { kind: "snooze", kpi: "nps", minutes: 10080, text: "1w" }],
  ["snooze nps 2 hours", { kind: "snooze", kpi: "nps", minutes: 120, text: "2h" }],
  ["snooze nps 90d", { kind: "snooze", kpi: "nps", minutes: 129600, text: "90d" }],
];

describe("parseCommand: what people type", () => {
  it.each(valid)("%j", (text, expected) => {
    expect(parseCommand(text, vocab)).toEqual({ ok: true, value: expected });
  });
});

describe("parseCommand: how chat platforms deliver it", () => {
  it.each([
    "/clg activation 28d",
    "/CLG   activation    28d  ",
    "<@U123ABC> activation 28d",
    "<@U123ABC|clg> activation 28d",
    "<at>clg</at> activation 28d",
    "@clg activation 28d",
    "ACTIVATION 28D",
    "activation 28d?",
    "activation\u00A028d",
    "\u200Bactivation 28d",
    "ａｃｔｉｖａｔｉｏｎ　２８ｄ",
  ])("%j", (text) => {
    expect(parseCommand(text, vocab)).toEqual({ ok: true, value: kpi("activation", { window: "28d" }) });
  });
});

describe("parseCommand: KPI names that look like commands", () => {
  const withBoard = {
    kpis: [...vocab.kpis, { slug: "board_meetings", name: "Board meetings", aliases: [], dimensions: [] }],
  };
  it("prefers the command, and still reaches a KPI whose name begins with a command word", () => {
    expect(parseCommand("board month", withBoard)).toEqual({
      ok: true,
      value: { kind: "board", window: "month" },
    });
    expect(parseCommand("board meetings 7d", withBoard)).toEqual({
      ok: true,
      value: kpi("board_meetings", { window: "7d" }),
    });
  });

  it("resolves a KPI sharing its name with a stage to the KPI, and the stage otherwise", () => {
    expect(parseCommand("activation", vocab)).toEqual({ ok: true, value: kpi("activation") });
    expect(parseCommand("activation", { kpis: [] })).toEqual({
      ok: true,
      value: { kind: "stage", stage: "activation", window: null },
    });
  });
});

describe("parseCommand: dimensions of more than one word", () => {
  const withOwner = {
    kpis: [{ slug: "nrr", name: "NRR", aliases: [], dimensions: ["account_owner", "plan"] }],
  };
  it.each([
    ["nrr by account owner", "account_owner"],
    ["nrr by Account-Owner 28d", "account_owner"],
    ["nrr by account_owner", "account_owner"],
  ])("%j", (text, by) => {
    const result = parseCommand(text, withOwner);
    expect(result.ok && result.value.kind === "kpi" && result.value.by).toBe(by);
  });
});

describe("share", () => {
  const vocab = { kpis: [{ slug: "activation", name: "Activation", aliases: [], dimensions: ["owner"] }] };
  it("is a prefix flag on any command, and round-trips through its text", () => {
    const parsed = parseCommand("share activation 28d", vocab);
    expect(parsed.ok && parsed.value).toMatchObject({
      kind: "kpi",
      kpi: "activation",
      window: "28d",
      share: true,
    });
    if (!parsed.ok) throw new Error("parse failed");
    expect(commandText(parsed.value)).toBe("share activation 28d");
    expect(parseCommand("share board", vocab)).toMatchObject({
      ok: true,
      value: { kind: "board", share: true },
    });
  });
  it("alone, twice, or misspelled, says what to do", () => {
    expect(parseCommand("share", vocab)).toMatchObject({ ok: false, error: { code: "clg_unknown_command" } });
    expect(parseCommand("share share board", vocab)).toMatchObject({ ok: false });
    const typo = parseCommand("shaer board", vocab);
    expect(!typo.ok && typo.error.message).toMatch(/"share"/);
  });
});
