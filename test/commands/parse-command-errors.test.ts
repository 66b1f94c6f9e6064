import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse-command.ts";
import type { ErrorCode } from "../../src/errors.ts";
import { vocab } from "./vocabulary.ts";

function parseError(text: string) {
  const result = parseCommand(text, vocab);
  if (result.ok)
    throw new Error(`expected an error for ${JSON.stringify(text)}, got ${JSON.stringify(result.value)}`);
  return result.error;
}

// [input, code, a part of the message, suggestions]
const cases: [string, ErrorCode, string, string[]][] = [
  ["activaton", "clg_unknown_kpi", 'No KPI "activaton". Did you mean "activation"?', ["activation"]],
  ["actvation 28d", "clg_unknown_kpi", 'No KPI "actvation"', ["activation"]],
  ["chrun by owner", "clg_unknown_kpi", 'No KPI "chrun"', ["churn"]],
  ["frist value 7d", "clg_unknown_kpi", 'No KPI "frist value"', ["first value"]],
  ["nspp", "clg_unknown_kpi", 'No KPI "nspp"', ["nps"]],
  ["lsit", "clg_unknown_command", 'No command "lsit". Did you mean "list"?', ["list"]],
  ["subscibe digest", "clg_unknown_command", 'No command "subscibe"', ["subscribe"]],
  ["xyzzy plugh", "clg_unknown_command", "neither a command nor a KPI", []],
  ["xyzzy 28d", "clg_unknown_kpi", 'No KPI "xyzzy"', []],
  ["list valeu growth", "clg_unknown_stage", 'No stage "valeu growth"', ["value_growth"]],
  ["stage intrest", "clg_unknown_stage", 'No stage "intrest"', ["interest"]],
  ["stage", "clg_unknown_stage", "Which stage?", []],
  ["activation 0d", "clg_bad_window", '"0d" is not a window', []],
  ["activation 1000d", "clg_bad_window", "at most 730d", []],
  ["activation 28x", "clg_bad_window", '"28x" is not a window', []],
  ["board 5y", "clg_bad_window", '"5y" is not a window', []],
  ["activation 7d 28d", "clg_unknown_command", "Two windows", []],
  ["activation bt owner", "clg_unknown_command", 'I don\'t understand "bt"', ["by"]],
  ["activation vs yesterday", "clg_unknown_command", "vs previous", []],
  ["churn by plan", "clg_bad_dimension", 'churn has no dimension "plan"', []],
  ["churn by ownr", "clg_bad_dimension", 'Did you mean "owner"?', ["owner"]],
  ["mrr by owner", "clg_bad_dimension", "mrr cannot be broken down", []],
  ["churn for owner", "clg_bad_dimension", "needs a dimension and a value", []],
  ["churn for region:EMEA", "clg_bad_dimension", 'no dimension "region"', []],
  ["threshold", "clg_bad_threshold", "Which KPI", []],
  ["threshold activaton red < 50", "clg_unknown_kpi", 'No KPI "activaton"', ["activation"]],
  ["threshold activation reed < 50", "clg_bad_threshold", '"reed" is not a status', ["red"]],
  ["threshold activation", "clg_bad_threshold", "Which status", []],
  ["threshold activation red = 50", "clg_bad_threshold", '"=" is not a comparison', []],
  ["threshold activation red", "clg_bad_threshold", "Missing the comparison", []],
  ["threshold activation red < abc", "clg_bad_threshold", '"abc" is not a number', []],
  ["threshold activation red <", "clg_bad_threshold", "Missing the number", []],
  ["threshold activation red < 50% soon", "clg_bad_threshold", '"soon"', []],
  ["threshold activation red < 50% 0d", "clg_bad_window", '"0d"', []],
  [`threshold nps red < ${"9".repeat(310)}`, "clg_bad_threshold", "between -10^15 and 10^15", []],
  ["threshold activation red > 2,000,000,000,000,000", "clg_bad_threshold", "cannot be stored exactly", []],
  ['subscribe digest "not a cron"', "clg_bad_cron", "5 fields", []],
  ['subscribe digest "61 9 * * *"', "clg_bad_cron", "61", []],
  ['subscribe digest "* * * * *"', "clg_bad_cron", "minute must be fixed", []],
  ['subscribe digest "0 0 9 * * *"', "clg_bad_cron", "5 fields", []],
  ["subscribe digest dialy", "clg_bad_cron", 'Did you mean "daily"?', ["daily"]],
  ["subscribe digest daily at 25", "clg_bad_cron", "not a time of day", []],
  ["subscribe digest daily Mars/Olympus", "clg_bad_timezone", '"Mars/Olympus"', []],
  [
    "subscribe digest daily Europe/Berln",
    "clg_bad_timezone",
    'Did you mean "Europe/Berlin"?',
    ["Europe/Berlin"],
  ],
  ["subscribe digest daily Europe/Berlin extra", "clg_bad_cron", "after the schedule", []],
  ["subscribe", "clg_unknown_command", "subscribe what?", []],
  ["subscribe alrts", "clg_unknown_command", 'Did you mean "alerts"?', ["alerts"]],
  ["subscribe alerts chrun", "clg_unknown_kpi", 'No KPI or stage "chrun"', ["churn"]],
  ["subscribe alerts stage nope", "clg_unknown_stage", 'No stage "nope"', []],
  ["subscribe alerts churn for plan:pro", "clg_bad_dimension", 'no dimension "plan"', []],
  ["unsubscribe", "clg_unknown_command", "unsubscribe what?", []],
  ["unsubscribe digset", "clg_unknown_command", 'Did you mean "digest"?', ["digest"]],
  ["unsubscribe digest now", "clg_unknown_command", '"now"', []],
  ["snooze", "clg_unknown_command", "Snooze which KPI", []],
  ["snooze 2h", "clg_unknown_kpi", "Snooze which KPI?", []],
  ["snooze churn", "clg_bad_duration", "for how long?", []],
  ["snooze churn soon", "clg_bad_duration", '"soon" is not a duration', []],
  ["snooze churn 2", "clg_bad_duration", '"2" is not a duration', []],
  ["snooze churn 0m", "clg_bad_duration", "at least a minute", []],
  ["snooze churn 91d", "clg_bad_duration", "at most 90 days", []],
  ["snooze churn 13w", "clg_bad_duration", "at most 90 days", []],
  ["snooze chrn 2h", "clg_unknown_kpi", 'No KPI "chrn"', ["churn"]],
  ["digest please", "clg_unknown_command", '"please"', []],
  [`activation ${"x".repeat(2000)}`, "clg_unknown_command", "too long", []],
];

describe("parseCommand: errors name the wrong part and what was meant", () => {
  it.each(cases)("%j -> %s", (text, code, message, suggestions) => {
    const error = parseError(text);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    for (const s of suggestions) expect(error.suggestions).toContain(s);
    expect(error.suggestions.length).toBeLessThanOrEqual(3);
  });

  it("offers the list of KPIs as the way out of an unknown KPI", () => {
    expect(parseError("activaton").hint).toBe("Type `list` to see every KPI.");
  });

  it("shows the threshold grammar on every threshold error", () => {
    for (const text of [
      "threshold activation red < abc",
      "threshold activation blue < 5",
      "threshold activation red ~ 5",
    ]) {
      expect(parseError(text).hint).toContain("`threshold <kpi> <red|amber|green> <|> <number>[%] [window]`");
    }
  });

  it("explains the duration format", () => {
    expect(parseError("snooze churn forever").hint).toContain("`30m`, `2h`, `3d` or `1w`");
  });
});

describe("parseCommand: hostile input", () => {
  it.each([
    "   ",
    "\u0000\u0001\u0002",
    ",,,;;;",
    "<<<>>>",
    '"',
    '"""',
    "'",
    "<@>",
    "<at></at>",
    "🔥🔥🔥",
    "активация 28d",
    "ا لتفعيل",
    "activation by",
    "activation for",
    "activation vs",
    "threshold < < <",
    "threshold red red red red",
    'subscribe digest "',
    "subscribe alerts for",
    "\\\\\\",
    "$" + "{process.exit()}",
    "a".repeat(999),
    "activation ".repeat(90),
    "9".repeat(400),
  ])("%j gives a result, never an exception", (text) => {
    const result = parseCommand(text, vocab);
    expect(typeof result.ok).toBe("boolean");
    if (!result.ok) expect(result.error.message.length).toBeGreaterThan(0);
  });

  it("never throws and never reports an internal error on arbitrary strings", () => {
    const words = fc.constantFrom(
      "activation",
      "churn",
      "by",
      "for",
      "vs",
      "owner:Dana",
      "28d",
      "threshold",
      "red",
      "<",
      "50%",
      "snooze",
      "subscribe",
      "digest",
      "alerts",
      '"',
      "“",
      "stage",
      "value",
      "realization",
      "this",
      "week",
      "/clg",
      "<@U1>",
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(words, { maxLength: 12 }).map((w) => w.join(" ")),
    );
    fc.assert(
      fc.property(text, (t) => {
        const result = parseCommand(t, vocab);
        return result.ok || result.error.code !== "clg_internal";
      }),
      { numRuns: 3000 },
    );
  });

  it("answers quickly even for the longest accepted input", () => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) parseCommand(`${"valu ".repeat(199)}x`, vocab);
    expect((performance.now() - started) / 20).toBeLessThan(50);
  });
});
