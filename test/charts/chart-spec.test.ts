import { compile } from "vega-lite";
import { describe, expect, it } from "vitest";
import type { ChartRequest, ChartTemplate } from "../../src/charts/chart-request.ts";
import { chartSpec } from "../../src/charts/chart-spec.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";

const templates = Object.keys(EXAMPLE_REQUESTS) as ChartTemplate[];

describe("chartSpec: data in, spec out", () => {
  it.each(templates)("%s matches its golden spec and compiles without warnings", async (template) => {
    const spec = chartSpec(EXAMPLE_REQUESTS[template]);
    await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot(`./golden/${template}.golden`);
    const warnings: string[] = [];
    const note = (...args: unknown[]) => {
      warnings.push(args.join(" "));
      return logger;
    };
    const logger = { level: () => logger, info: () => logger, debug: () => logger, warn: note, error: note };
    compile(spec, { logger: logger as never });
    expect(warnings).toEqual([]);
  });

  it("an empty window gives the no-data chart with the title", async () => {
    const spec = chartSpec({ ...EXAMPLE_REQUESTS.trend, points: [], previous: [] });
    await expect(`${JSON.stringify(spec, null, 2)}\n`).toMatchFileSnapshot("./golden/empty-trend.golden");
    expect(JSON.stringify(spec)).toContain("No data for this window");
  });

  const empties: [string, ChartRequest][] = [
    ["trend with only gaps", { ...EXAMPLE_REQUESTS.trend, points: [{ day: "2026-11-01", value: null }] }],
    ["board", { template: "board", title: "Board", cells: [] }],
    ["nps", { template: "nps", title: "NPS", buckets: [{ score: 9, count: 0 }], nps: null }],
    ["breakdown", { ...EXAMPLE_REQUESTS.breakdown, bars: EXAMPLE_REQUESTS.breakdown.bars.slice(4) }],
  ];
  it.each(empties)("%s without data says so", (_name, request) => {
    const spec = chartSpec(request) as { datasets: Record<string, unknown> };
    expect(spec.datasets).toEqual({ message: [{ text: "No data for this window" }] });
  });

  it("NaN and Infinity never reach a spec", () => {
    const request: ChartRequest = {
      ...EXAMPLE_REQUESTS.trend,
      points: [
        { day: "2026-11-01", value: 40 },
        { day: "2026-11-02", value: Number.NaN },
        { day: "2026-11-03", value: Number.POSITIVE_INFINITY },
        { day: "2026-11-04", value: 41 },
      ],
      target: Number.NEGATIVE_INFINITY,
      bands: [{ from: Number.NaN, to: 42, status: "red" }],
    };
    const text = JSON.stringify(chartSpec(request), (_k, v) =>
      typeof v === "number" && !Number.isFinite(v) ? "BAD" : v,
    );
    expect(text).not.toContain("BAD");
    expect(text).not.toMatch(/NaN|Infinity/);
  });

  it.each([
    [
      "too many points",
      { ...EXAMPLE_REQUESTS.trend, points: new Array(5000).fill({ day: "2026-11-01", value: 1 }) },
    ],
    ["a huge title", { ...EXAMPLE_REQUESTS.trend, title: "x".repeat(10_000) }],
    [
      "too many bars",
      { ...EXAMPLE_REQUESTS.breakdown, bars: new Array(500).fill(EXAMPLE_REQUESTS.breakdown.bars[0]) },
    ],
    ["an unknown template", { template: "pie", title: "x" }],
  ])("refuses %s with a coded error", (_name, request) => {
    expect(() => chartSpec(request as ChartRequest)).toThrow(
      expect.objectContaining({ code: "clg_chart_failed" }),
    );
  });
});
