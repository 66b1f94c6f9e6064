import { describe, expect, it } from "vitest";
import {
  activationRuleSchema,
  activationSamples,
  formatActivationRule,
  parseActivationRule,
  readActivationRule,
} from "../../src/kpi/activation-rule.ts";

describe("parseActivationRule", () => {
  it("reads the human form", () => {
    const rule = parseActivationRule("10+ searches AND 2+ lists AND 1+ export within 14 days");
    expect(rule).toEqual({
      within_days: 14,
      all: [
        { event: "searches", min: 10 },
        { event: "lists", min: 2 },
        { event: "export", min: 1 },
      ],
    });
    expect(formatActivationRule(rule)).toBe("10+ searches AND 2+ lists AND 1+ export within 14 days");
    expect(activationRuleSchema.parse(rule)).toEqual(rule);
  });

  it("is case-insensitive about AND and within, and accepts 1 day", () => {
    expect(parseActivationRule("1+ login within 1 day")).toEqual({
      within_days: 1,
      all: [{ event: "login", min: 1 }],
    });
    expect(parseActivationRule("3+ invites and 1+ report WITHIN 7 days").all).toHaveLength(2);
  });

  it.each([
    ["10+ searches AND 2+ lists", "does not end with"],
    ["10+ searches within two days", '"within two days"'],
    ["10+ searches within 0 days", '"within 0 days"'],
    ["10 searches AND 2+ lists within 14 days", '"10 searches"'],
    ["10+ searches AND within 14 days", '"10+ searches AND"'],
    ["10+ searches AND 0+ lists within 14 days", '"0+ lists"'],
  ])("says which part of %j is wrong", (text, part) => {
    expect(() => parseActivationRule(text)).toThrow(expect.objectContaining({ code: "clg_catalog_invalid" }));
    expect(() => parseActivationRule(text)).toThrow(part);
  });
});

describe("activationSamples", () => {
  const rule = parseActivationRule("3+ search AND 1+ export within 14 days");
  const accounts = [
    // activated: 3 searches over two days and an export on day 14
    {
      id: "a",
      signupDay: "2026-11-01",
      events: [
        { event: "search", day: "2026-11-01", count: 2 },
        { event: "search", day: "2026-11-03", count: 1 },
        { event: "export", day: "2026-11-14", count: 1 },
      ],
    },
    // not activated: the export comes on day 15
    {
      id: "b",
      signupDay: "2026-11-01",
      events: [
        { event: "search", day: "2026-11-02", count: 5 },
        { event: "export", day: "2026-11-15", count: 1 },
      ],
    },
    // not activated: events before sign-up do not count
    {
      id: "c",
      signupDay: "2026-11-02",
      events: [
        { event: "search", day: "2026-10-30", count: 5 },
        { event: "export", day: "2026-11-02", count: 1 },
      ],
    },
    {
      id: "d",
      signupDay: "2026-11-02",
      events: [
        { event: "search", day: "2026-11-02", count: 3 },
        { event: "export", day: "2026-11-02", count: 2 },
      ],
    },
    { id: "e", signupDay: "2026-11-20", events: [] },
  ];

  it("gives activated accounts over trials per sign-up day", () => {
    expect(activationSamples(accounts, rule).map((s) => [s.day, s.num, s.den])).toEqual([
      ["2026-11-01", 1, 2],
      ["2026-11-02", 1, 2],
      ["2026-11-20", 0, 1],
    ]);
    expect(activationSamples(accounts, rule, { kpi: "activation" })[0]).toMatchObject({
      kpi: "activation",
      segment: "",
      value: null,
    });
  });

  it("leaves out sign-up days whose window is still open", () => {
    expect(activationSamples(accounts, rule, { asOf: "2026-11-14" }).map((s) => s.day)).toEqual([
      "2026-11-01",
    ]);
  });
});

describe("readActivationRule", () => {
  it("takes the human form or the object form from a KPI's query", () => {
    const rule = { within_days: 7, all: [{ event: "invite", min: 2 }] };
    expect(readActivationRule("2+ invite within 7 days")).toEqual(rule);
    expect(readActivationRule(rule)).toEqual(rule);
  });

  it("names the bad field of the object form", () => {
    expect(() => readActivationRule({ within_days: 7, all: [{ event: "invite", min: 0 }] })).toThrow(
      "at all.0.min",
    );
    expect(() => readActivationRule(42)).toThrow(expect.objectContaining({ code: "clg_catalog_invalid" }));
  });
});
