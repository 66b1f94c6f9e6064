import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { NumberFormat, Unit } from "../../src/kpi/definition.ts";
import {
  type DeltaInput,
  formatDelta,
  formatDuration,
  formatValue,
  formatWithUnit,
} from "../../src/messages/format.ts";

const def = (unit: Unit, format: NumberFormat = {}) => ({ unit, format });

describe("formatValue", () => {
  it.each([
    [def("percent"), 46.2, "46.2%"],
    [def("percent"), 50, "50.0%"],
    [def("percent", { decimals: 0 }), 46.6, "47%"],
    [def("currency"), 182_400, "$182.4k"],
    [def("currency"), 1_824_000, "$1.82M"],
    [def("currency", { decimals: 0, compact: true }), 1_940_000, "$1.94M"],
    [def("percent"), -0.01, "0.0%"],
    [def("score"), -0.2, "0"],
    [def("currency"), 1_500, "$1,500"],
    [def("currency"), 49.5, "$49.50"],
    [def("currency", { currency: "EUR" }), 182_400, "€182.4k"],
    [def("currency", { compact: false }), 182_400, "$182,400"],
    [def("count"), 1_204, "1,204"],
    [def("count"), 2_400_000, "2.4M"],
    [def("count", { compact: true }), 12_400, "12.4k"],
    [def("score"), 42, "42"],
    [def("score"), -12, "−12"],
    [def("days"), 3.5, "3.5 days"],
    [def("days"), 1, "1 day"],
    [def("ratio"), 1.2345, "1.23"],
    [def("number"), 7.125, "7.13"],
    [def("percent"), null, "—"],
    [def("count"), Number.NaN, "—"],
    [def("currency"), Number.POSITIVE_INFINITY, "—"],
    [def("score"), Number.NEGATIVE_INFINITY, "—"],
  ])("%j %s -> %s", (d, value, expected) => {
    expect(formatValue(d, value)).toBe(expected);
  });

  it("writes a chart's unit in the message's format: one compact format per message", () => {
    expect(formatWithUnit(175_000, "USD")).toBe(formatValue(def("currency"), 175_000));
    expect(formatWithUnit(175_000, "USD")).toBe("$175k");
    expect(formatWithUnit(45, "%")).toBe("45%");
    expect(formatWithUnit(12, "days")).toBe("12 days");
  });

  it("follows the locale", () => {
    expect(formatValue(def("percent"), 46.2, "de-DE")).toBe("46,2\u00A0%");
    expect(formatValue(def("count"), 1204, "de-DE")).toBe("1.204");
    expect(formatValue(def("days"), 3.5, "fr-FR")).toBe("3,5\u00A0jours");
  });

  it("falls back to English for a malformed locale", () => {
    expect(formatValue(def("count"), 1204, "en_US!!")).toBe("1,204");
  });

  it("works without a format object", () => {
    expect(formatValue({ unit: "count" }, 1204)).toBe("1,204");
  });

  it("never shows NaN, Infinity or undefined for any number", () => {
    const units: Unit[] = ["count", "percent", "currency", "score", "ratio", "days", "number"];
    fc.assert(
      fc.property(fc.constantFrom(...units), fc.double(), (unit, value) => {
        const text = formatValue(def(unit), value);
        return text.length > 0 && !/NaN|Infinity|undefined/.test(text);
      }),
    );
  });
});

describe("formatDelta", () => {
  const d = (absolute: number, relative: number | null, unit: "pp" | "abs"): DeltaInput => ({
    absolute,
    relative,
    unit,
  });
  it.each([
    [def("percent"), d(3.1, 7.2, "pp"), "previous 28d", "+3.1 pp vs previous 28d"],
    [def("percent"), d(-0.44, -1, "pp"), "previous 28d", "−0.4 pp vs previous 28d"],
    [def("percent"), d(0.01, 0.1, "pp"), "previous 28d", "no change vs previous 28d"],
    [def("count"), d(-50, -12, "abs"), "previous 7d", "−12.0% vs previous 7d"],
    [def("count"), d(120, 10, "abs"), "previous 7d", "+10.0% vs previous 7d"],
    [def("count"), d(0, 0, "abs"), "previous 7d", "no change vs previous 7d"],
    [def("count"), d(25, null, "abs"), "previous 7d", "+25 vs previous 7d"],
    [def("currency"), d(1_200, null, "abs"), "previous 28d", "+$1,200 vs previous 28d"],
    [def("score"), d(-3, -20, "abs"), "previous 90d", "−3 vs previous 90d"],
    [def("days"), d(0.5, 20, "abs"), "previous 28d", "+0.5 days vs previous 28d"],
    [def("count"), d(3, 2.5, "abs"), "target", "+2.5% vs target"],
  ])("%j %j", (dd, delta, compared, expected) => {
    expect(formatDelta(dd, delta, compared)).toBe(expected);
  });

  it("is null when there is nothing to compare", () => {
    expect(formatDelta(def("count"), null, "previous 7d")).toBeNull();
    expect(formatDelta(def("count"), d(Number.NaN, null, "abs"), "previous 7d")).toBeNull();
  });

  it("falls back to the absolute change when the relative one is not a number", () => {
    expect(formatDelta(def("count"), d(5, Number.POSITIVE_INFINITY, "abs"), "previous 7d")).toBe(
      "+5 vs previous 7d",
    );
  });
});

describe("formatDuration", () => {
  it.each([
    [30, "30 minutes"],
    [1, "1 minute"],
    [120, "2 hours"],
    [90, "1 hour 30 minutes"],
    [4320, "3 days"],
    [1500, "1 day 1 hour"],
    [10080, "1 week"],
    [129_600, "90 days"],
    [0, "0 minutes"],
    [-5, "0 minutes"],
    [Number.NaN, "0 minutes"],
  ])("%d -> %s", (minutes, expected) => {
    expect(formatDuration(minutes)).toBe(expected);
  });
});
