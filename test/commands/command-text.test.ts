import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlertScope, Command } from "../../src/commands/command.ts";
import { commandText } from "../../src/commands/command-text.ts";
import { parseCommand } from "../../src/commands/parse-command.ts";
import { STAGES } from "../../src/kpi/stage.ts";
import { RULE_STATUSES } from "../../src/kpi/status.ts";
import { vocab } from "./vocabulary.ts";

const kpiWithDimension = vocab.kpis.filter((k) => k.dimensions.length > 0);
const slug = fc.constantFrom(...vocab.kpis.map((k) => k.slug));
const stage = fc.constantFrom(...STAGES);
const window = fc.option(
  fc.oneof(
    fc.constantFrom("week", "month", "quarter"),
    fc.integer({ min: 1, max: 730 }).map((n) => `${n}d`),
  ),
  { nil: null },
);
const segmentValue = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .'&-]{0,20}[A-Za-z0-9]$/);
const scope: fc.Arbitrary<AlertScope> = fc.oneof(
  fc.constant({ kind: "all" as const }),
  stage.map((s) => ({ kind: "stage" as const, stage: s })),
  slug.map((k) => ({ kind: "kpi" as const, kpi: k })),
);

const kpiCommand = fc
  .record({
    kpi: fc.constantFrom(...kpiWithDimension),
    window,
    compare: fc.constantFrom("previous" as const, "target" as const),
    useBy: fc.boolean(),
    value: fc.option(segmentValue, { nil: null }),
  })
  .map(
    ({ kpi, window, compare, useBy, value }): Command => ({
      kind: "kpi",
      kpi: kpi.slug,
      window,
      compare,
      by: useBy ? (kpi.dimensions[0] as string) : null,
      segment: value === null ? null : `${kpi.dimensions[0]}:${value}`,
    }),
  );

const command: fc.Arbitrary<Command> = fc.oneof(
  kpiCommand,
  fc.record({ kind: fc.constant("list" as const), stage: fc.option(stage, { nil: null }) }),
  fc.record({ kind: fc.constant("stage" as const), stage, window }),
  fc.record({ kind: fc.constant("board" as const), window }),
  fc.constant({ kind: "digest" as const }),
  fc.constant({ kind: "sources" as const }),
  fc.record({
    kind: fc.constant("subscribe_digest" as const),
    cron: fc.constantFrom("0 9 * * 1-5", "30 7 * * *", "0 8 1 * *", "15 18 * * 5"),
    timezone: fc.option(fc.constantFrom("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"), {
      nil: null,
    }),
  }),
  fc.record({ kind: fc.constant("subscribe_alerts" as const), scope, segment: fc.constant(null) }),
  fc.record({
    kind: fc.constant("unsubscribe" as const),
    what: fc.constant("alerts" as const),
    scope: fc.option(scope, { nil: null }),
  }),
  fc.constantFrom<Command>(
    { kind: "unsubscribe", what: "digest", scope: null },
    { kind: "unsubscribe", what: "all", scope: null },
  ),
  fc.record({
    kind: fc.constant("threshold" as const),
    kpi: slug,
    status: fc.constantFrom(...RULE_STATUSES),
    op: fc.constantFrom("below" as const, "above" as const),
    value: fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((v) => Math.round(v * 1e4) / 1e4 || 0),
    window,
  }),
  fc
    .record({ kpi: slug, amount: fc.integer({ min: 1, max: 12 }), unit: fc.constantFrom("m", "h", "d", "w") })
    .map(({ kpi, amount, unit }): Command => {
      const size = { m: 1, h: 60, d: 1440, w: 10080 }[unit];
      return { kind: "snooze", kpi, minutes: amount * size, text: `${amount}${unit}` };
    }),
);

describe("commandText", () => {
  it("writes commands that parse back to the same command", () => {
    fc.assert(
      fc.property(command, (c) => {
        expect(parseCommand(commandText(c), vocab)).toEqual({ ok: true, value: c });
      }),
      { numRuns: 2000 },
    );
  });

  it.each<[Command, string]>([
    [
      {
        kind: "kpi",
        kpi: "churn",
        window: "28d",
        compare: "target",
        by: "owner",
        segment: "segment:SMB by region",
      },
      'churn 28d vs target by owner for segment:"SMB by region"',
    ],
    [
      { kind: "threshold", kpi: "activation", status: "red", op: "below", value: 50, window: null },
      "threshold activation red < 50",
    ],
    [{ kind: "snooze", kpi: "nps", minutes: 2880, text: "" }, "snooze nps 2d"],
    [
      { kind: "subscribe_digest", cron: "0 9 * * 1-5", timezone: "UTC" },
      'subscribe digest "0 9 * * 1-5" UTC',
    ],
  ])("%j -> %s", (c, text) => {
    expect(commandText(c)).toBe(text);
  });
});
