import { describe, expect, it } from "vitest";
import { altTextFor } from "../../src/charts/alt-text.ts";
import type { ChartRequest } from "../../src/charts/chart-request.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";

const cases: [string, ChartRequest, string][] = [
  [
    "trend",
    EXAMPLE_REQUESTS.trend,
    "Trial → activation rate · last 28 days: line chart, rolling 28-day value, last 28 days, latest 41.5% on 2026-11-22, status amber, quarter target 45%, down from 45.3% at the start.",
  ],
  [
    "empty trend",
    { ...EXAMPLE_REQUESTS.trend, points: [] },
    "Trial → activation rate · last 28 days: no data for this window.",
  ],
  [
    "nps",
    EXAMPLE_REQUESTS.nps,
    "NPS, last 90 days: NPS +32 from 225 responses, promoters 50%, passives 31%, detractors 19%.",
  ],
];

describe("altTextFor", () => {
  it.each(cases)("%s", (_name, request, expected) => {
    expect(altTextFor(request)).toBe(expected);
  });

  it.each(Object.values(EXAMPLE_REQUESTS))("$template is one sentence with a status or value", (request) => {
    const text = altTextFor(request);
    expect(text).toMatch(/\.$/);
    expect(text.length).toBeLessThanOrEqual(600);
    expect(text).toMatch(/green|amber|red|NPS|→/);
  });

  it("stays short for a long breakdown", () => {
    const bars = Array.from({ length: 40 }, (_, i) => ({
      label: `Owner ${i}`,
      value: i,
      formatted: `${i}%`,
      status: "green" as const,
      delta: null,
    }));
    expect(altTextFor({ ...EXAMPLE_REQUESTS.breakdown, bars }).length).toBeLessThanOrEqual(600);
  });
});
