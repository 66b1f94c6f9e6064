import { describe, expect, it } from "vitest";
import { ChartStore } from "../../src/app/chart-store.ts";
import { chartHash } from "../../src/charts/chart-hash.ts";
import { chartCacheKey } from "../../src/charts/chart-renderer.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";
import { ByteLru } from "../../src/charts/lru-cache.ts";
import type { Message } from "../../src/messages/message.ts";

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

describe("ByteLru: the one cache for chart PNGs", () => {
  it("drops the least recently used entries once the bytes exceed the cap", () => {
    const lru = new ByteLru(10);
    lru.set("a", bytes(4));
    lru.set("b", bytes(4));
    expect(lru.get("a")).toBeDefined(); // a is now the most recent
    lru.set("c", bytes(4));
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBeDefined();
    expect(lru.get("c")).toBeDefined();
  });

  it("never keeps an entry larger than the cap, and replacing a key counts its bytes once", () => {
    const lru = new ByteLru(10);
    lru.set("big", bytes(11));
    expect(lru.size).toBe(0);
    lru.set("a", bytes(6));
    lru.set("a", bytes(6, 2));
    expect(lru.size).toBe(1);
    expect(lru.get("a")?.[0]).toBe(2);
  });
});

describe("one chart id", () => {
  it("the renderer's cache key and the chart store's ids come from the same content hash", async () => {
    const trend = { request: EXAMPLE_REQUESTS.trend, altText: "" };
    const id = chartHash(trend.request);
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(chartCacheKey(trend, 2)).toBe(`trend:${id}@2`);
    let renders = 0;
    const store = new ChartStore(async () => {
      renders++;
      return bytes(100);
    }, 1000);
    const message: Message = { summary: "", blocks: [{ type: "chart", chart: trend }] };
    const [first] = await store.renderMessage(message);
    await store.renderMessage(message);
    expect(first?.id).toBe(id);
    expect(renders).toBe(1);
    expect(store.get(id)?.length).toBe(100);
  });
});
