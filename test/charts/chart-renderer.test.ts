import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";
import { chartCacheKey, createChartRenderer } from "../../src/charts/chart-renderer.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";

describe("createChartRenderer (worker threads loading the TypeScript worker)", () => {
  const renderer = createChartRenderer({ threads: 1, maxQueue: 4 });
  afterAll(() => renderer.close());
  const trend = { request: EXAMPLE_REQUESTS.trend, altText: "" };

  it("renders a PNG off the main thread and fills in the alt text", async () => {
    const result = await renderer.render(trend, { scale: 2, budgetMs: 20_000 });
    if (!result.png) throw new Error(result.reason);
    expect((await sharp(result.png).metadata()).format).toBe("png");
    expect(result.altText).toMatch(/^Trial → activation rate.*latest 41\.5%.*status amber/);
  });

  it("answers a repeated chart from the cache", async () => {
    const first = await renderer.render(trend, { budgetMs: 20_000 });
    const started = performance.now();
    const again = await renderer.render(trend, { budgetMs: 20_000 });
    expect(performance.now() - started).toBeLessThan(5);
    expect(again.png).toBe(first.png);
  });

  it("keeps the caller's alt text", async () => {
    const result = await renderer.render({ ...trend, altText: "Custom." }, { budgetMs: 20_000 });
    expect(result).toMatchObject({ altText: "Custom." });
  });

  it("gives a text-only answer when the budget runs out, and caches the late chart", async () => {
    const ref = { request: { ...EXAMPLE_REQUESTS.breakdown, title: "Late chart" }, altText: "" };
    const late = await renderer.render(ref, { budgetMs: 1 });
    expect(late).toEqual({ png: null, reason: "chart took longer than 1 ms" });
    // the late render finishes in the worker and fills the cache (allow for a busy machine)
    await expect
      .poll(async () => (await renderer.render(ref, { budgetMs: 1 })).png !== null, { timeout: 15_000 })
      .toBe(true);
  });

  it("refuses a bad request with the reason", async () => {
    const result = await renderer.render(
      { request: { ...EXAMPLE_REQUESTS.trend, title: "x".repeat(500) }, altText: "" },
      { budgetMs: 20_000 },
    );
    expect(result).toEqual({
      png: null,
      reason: "This chart cannot be drawn: title is longer than 200 characters.",
    });
  });

  it("refuses an absurd scale without drawing", async () => {
    expect(await renderer.render(trend, { scale: 50 })).toMatchObject({ png: null });
  });

  it("keys the cache by template and data", () => {
    const other = { ...trend, request: { ...EXAMPLE_REQUESTS.trend, target: 46 } };
    expect(chartCacheKey(trend, 2)).toMatch(/^trend:/);
    expect(chartCacheKey(trend, 2)).not.toBe(chartCacheKey(other, 2));
    expect(chartCacheKey(trend, 2)).not.toBe(chartCacheKey(trend, 1));
    expect(chartCacheKey({ ...trend, altText: "x" }, 2)).toBe(chartCacheKey(trend, 2));
  });
});
