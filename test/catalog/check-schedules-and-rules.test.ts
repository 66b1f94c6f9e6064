import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogWarnings } from "../../src/catalog/check-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { shadowedRules } from "../../src/catalog/shadowed-rules.ts";
import { parseCron, parseTimezone } from "../../src/commands/parse-schedule.ts";
import { ClgError } from "../../src/errors.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

function refusal(text: string): string {
  try {
    parseCatalogText(text, "catalog.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(ClgError);
    return (e as ClgError).message;
  }
  throw new Error("expected the catalog to be refused");
}

const digest = (cron: string, zone: string) =>
  `subscriptions:\n  - { channel: growth, kind: digest, cron: "${cron}", timezone: ${zone} }\n`;

describe("the catalog validates time zones and schedules as chat does", () => {
  it.each([
    ["timezone: Europe/Pariss\n", "timezone", parseTimezone("Europe/Pariss")],
    [digest("0 9 * * 1", "Mars/Olympus"), "subscriptions[0].timezone", parseTimezone("Mars/Olympus")],
    [digest("* 9 * * 1", "UTC"), "subscriptions[0].cron", parseCron("* 9 * * 1")],
    [digest("0 25 * * 1", "UTC"), "subscriptions[0].cron", parseCron("0 25 * * 1")],
    [
      "sources:\n  - { name: demo, kind: demo, schedule: '0 * * * * *' }\n",
      "sources[0].schedule",
      parseCron("0 * * * * *", { fixedMinute: false }),
    ],
  ])("%j is refused at %s with the chat command's words", (text, path, chat) => {
    expect(chat.ok).toBe(false);
    const message = refusal(text);
    expect(message).toContain(path);
    if (!chat.ok) expect(message).toContain(chat.error.message);
  });

  it("accepts what chat accepts: a polling schedule may repeat within the hour", () => {
    const c = parseCatalogText(
      "timezone: europe/berlin\nsources:\n  - { name: demo, kind: demo, schedule: '*/15 * * * *' }\n" +
        digest("30 8 * * 1-5", "America/New_York"),
      "catalog.yaml",
    );
    expect(c.sources[0]?.schedule).toBe("*/15 * * * *");
  });
});

describe("threshold rules that can never match", () => {
  it("finds a rule caught by an earlier one of the same direction and window", () => {
    const red = { status: "red", below: 40 } as const;
    expect(shadowedRules([red, { status: "amber", below: 30 }])).toMatchObject([{ index: 1, byIndex: 0 }]);
    expect(shadowedRules([red, { status: "amber", below: 40, window: "28d" }])).toHaveLength(1);
    // amber below 60 still matches 40..60; a red rule for one window leaves the others to amber.
    expect(shadowedRules([red, { status: "amber", below: 60 }])).toEqual([]);
    expect(
      shadowedRules([
        { ...red, window: "7d" },
        { status: "amber", below: 30 },
      ]),
    ).toEqual([]);
    expect(
      shadowedRules([
        { status: "red", above: 10 },
        { status: "amber", above: 12 },
      ]),
    ).toHaveLength(1);
    expect(
      shadowedRules([
        { status: "red", above: 10 },
        { status: "amber", below: 5 },
      ]),
    ).toEqual([]);
  });

  it("is a warning at apply, naming which rule shadows which", () => {
    const c = parseCatalogText(
      `kpis:
  - { slug: churn, name: Churn, stage: customer_success, unit: percent, direction: down,
      aggregation: { kind: ratio, scale: 100 }, windows: [28d],
      thresholds: [{ status: red, above: 5 }, { status: amber, above: 8, window: 28d }] }
`,
      "catalog.yaml",
    );
    expect(catalogWarnings(c)).toEqual([
      "kpis[0].thresholds[1] (churn: amber above 8 (28d)) can never match: thresholds[0] (red above 5) comes first and catches every value it would.",
    ]);
  });

  describe("in chat", () => {
    let rt: TestRuntime;
    beforeAll(async () => {
      rt = await openTestRuntime();
    });
    afterAll(async () => {
      await rt?.close();
    });

    it("the threshold answer warns when the new rule can never match", async () => {
      const say = async (text: string) =>
        JSON.stringify((await askLocal(rt, { text, channel: "general", user: "admin" })).message);
      const dead = await say("threshold activation amber < 45%");
      expect(dead).toMatch(
        /Warning: amber below 45(\.0)?% can never match, because red below 50(\.0)?% comes first/,
      );
      expect(await say("threshold activation amber < 60%")).not.toContain("Warning");
    });
  });
});
