import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartImageUrl, publishChartImages } from "../../src/app/chart-images.ts";
import type { RenderedChart } from "../../src/app/chat-sender.ts";
import { EXAMPLE_REQUESTS } from "../../src/charts/example-requests.ts";
import { renderChartPng } from "../../src/charts/render-png.ts";
import { createRuntime } from "../../src/compose/runtime.ts";
import { parseConfig } from "../../src/config/config.ts";
import { CHART_TOKEN_PATTERN, newChartToken } from "../../src/db/chart-images-repository.ts";
import { pruneOldRows } from "../../src/db/retention-repository.ts";
import { ClgError } from "../../src/errors.ts";
import { createLogger } from "../../src/logging/create-logger.ts";
import type { Message } from "../../src/messages/message.ts";
import { cardAttachment, publishDepsOf } from "../../src/teams/card-attachment.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

const PUBLIC = "https://clg.example.com/bot";
const DAY = 86_400_000;
let t: TestService;
let trend: RenderedChart;

const deps = (ttlMs = 30 * DAY) => ({
  images: t.rt.chartImages,
  clock: t.rt.clock,
  publicUrl: PUBLIC,
  ttlMs,
});
/** The image at a published URL, fetched from the running service (same path, its loopback address). */
const fetchPublished = (url: string) =>
  fetch(`${t.base}${new URL(url).pathname.replace(/^\/bot/, "")}`, { redirect: "manual" });
const setClock = (to: Date) => (t.rt.clock as unknown as { set(d: Date): void }).set(to);

beforeAll(async () => {
  t = await startTestService();
  trend = {
    id: "a1b2c3d4e5f6a1b2c3d4e5f6",
    altText: "a trend",
    png: await renderChartPng(EXAMPLE_REQUESTS.trend),
  };
}, 60_000);
afterAll(async () => {
  await t.stop();
});

describe("chart images for Teams: stored in the database, served by token", () => {
  it("a published chart is served as image/png at its URL under PUBLIC_URL, no redirect, cacheable", async () => {
    const urls = await publishChartImages(deps(), "teams:tenant-a", [trend]);
    const url = urls.get(trend.id) as string;
    expect(url).toMatch(/^https:\/\/clg\.example\.com\/bot\/charts\/[A-Za-z0-9_-]{32}\.png$/);
    const res = await fetchPublished(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=86400, immutable$/);
    const body = Buffer.from(await res.arrayBuffer());
    const meta = await sharp(body).metadata();
    expect(meta.format).toBe("png");
    // The renderer draws at twice the size (about 1,400 pixels wide): what Teams gets fits 1024 x 1024.
    const original = await sharp(trend.png as Buffer).metadata();
    expect(original.width).toBeGreaterThan(1024);
    expect(meta.width).toBeLessThanOrEqual(1024);
    expect(meta.height).toBeLessThanOrEqual(1024);
    expect((meta.width as number) / (meta.height as number)).toBeCloseTo(
      (original.width as number) / (original.height as number),
      1,
    );
  });

  it("a huge image is scaled down within 1024 x 1024; a small one is stored as it is", async () => {
    const huge = await sharp({ create: { width: 3000, height: 1500, channels: 4, background: "#3366cc" } })
      .png()
      .toBuffer();
    const small = await sharp({ create: { width: 300, height: 200, channels: 4, background: "#cc3366" } })
      .png()
      .toBuffer();
    const urls = await publishChartImages(deps(), "teams:tenant-a", [
      { id: "huge0000000000000000000a", altText: "huge", png: huge },
      { id: "small000000000000000000a", altText: "small", png: small },
      { id: "none0000000000000000000a", altText: "not drawn", png: null },
    ]);
    expect(urls.has("none0000000000000000000a")).toBe(false);
    const h = await sharp(
      Buffer.from(await (await fetchPublished(urls.get("huge0000000000000000000a") as string)).arrayBuffer()),
    ).metadata();
    expect([h.width, h.height]).toEqual([1024, 512]);
    const s = Buffer.from(
      await (await fetchPublished(urls.get("small000000000000000000a") as string)).arrayBuffer(),
    );
    expect(s.equals(small)).toBe(true);
  });

  it("tokens are 192 random bits, URL-safe; unknown or malformed tokens are 404", async () => {
    const tokens = new Set(Array.from({ length: 2_000 }, newChartToken));
    expect(tokens.size).toBe(2_000);
    for (const token of tokens) expect(token).toMatch(CHART_TOKEN_PATTERN);
    // 32 base64url characters carry 6 bits each: 192 bits, and every character position varies.
    const positions = Array.from({ length: 32 }, (_, i) => new Set([...tokens].map((k) => k[i])).size);
    expect(Math.min(...positions)).toBeGreaterThan(40);
    expect((await fetchPublished(`${PUBLIC}/charts/${newChartToken()}.png`)).status).toBe(404);
    expect((await fetchPublished(`${PUBLIC}/charts/..%2F..%2Fetc.png`)).status).toBe(404);
    expect((await fetchPublished(`${PUBLIC}/charts/${"A".repeat(31)}.png`)).status).toBe(404);
  });

  it("the same chart of a workspace keeps its URL; another workspace gets its own", async () => {
    const a1 = (await publishChartImages(deps(), "teams:tenant-a", [trend])).get(trend.id);
    const a2 = (await publishChartImages(deps(), "teams:tenant-a", [trend])).get(trend.id);
    const b = (await publishChartImages(deps(), "teams:tenant-b", [trend])).get(trend.id);
    expect(a2).toBe(a1);
    expect(b).not.toBe(a1);
  });

  it("another runtime on the same database (a replica, or the service after a restart) serves it", async () => {
    const url = (await publishChartImages(deps(), "teams:tenant-c", [trend])).get(trend.id) as string;
    const token = /charts\/([^/]+)\.png$/.exec(url)?.[1] as string;
    const opened = { db: t.rt.db, kind: t.rt.dbKind, close: async () => {} };
    const replica = createRuntime(t.rt.config, opened as never, {
      clock: t.rt.clock,
      logger: createLogger("silent"),
      charts: false,
      print: null,
      sinkFolder: null,
    });
    const found = await replica.chartImages.find(token, t.rt.clock.now());
    expect(found?.png.length).toBeGreaterThan(1000);
    await replica.close();
  });

  it("after expiry the URL answers 404, and pruning deletes the row", async () => {
    const start = t.rt.clock.now();
    const url = (await publishChartImages(deps(DAY), "teams:tenant-d", [trend])).get(trend.id) as string;
    expect((await fetchPublished(url)).status).toBe(200);
    setClock(new Date(start.getTime() + DAY - 60_000));
    const late = await fetchPublished(url);
    expect(late.status).toBe(200);
    expect(late.headers.get("cache-control")).toBe("public, max-age=60, immutable");
    setClock(new Date(start.getTime() + DAY + 1));
    expect((await fetchPublished(url)).status).toBe(404);
    const removed = await pruneOldRows(t.rt.db, new Date(0), t.rt.clock.now());
    expect(removed.chart_images).toBeGreaterThanOrEqual(1);
    setClock(start);
    expect((await fetchPublished(url)).status).toBe(404); // gone for good, not only hidden
  });

  it("a Teams card attachment points its chart fallback at the published image", async () => {
    const message: Message = {
      summary: "Activation",
      blocks: [{ type: "chart", chart: { request: EXAMPLE_REQUESTS.trend, altText: "Activation, 28 days" } }],
    };
    const [drawn] = await t.rt.charts.renderMessage(message);
    const chart = { ...(drawn as RenderedChart), png: trend.png };
    const attachment = await cardAttachment(deps(), "teams:tenant-e", message, [chart]);
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const line = attachment.content.body.find((e) => e.type === "Chart.Line");
    const fallback = line?.fallback as { type: string; url: string; altText: string };
    expect(fallback).toMatchObject({ type: "Image", altText: "Activation, 28 days" });
    expect((await fetchPublished(fallback.url)).status).toBe(200);
    expect(publishDepsOf(t.rt)).toMatchObject({ publicUrl: null, ttlMs: 30 * DAY });
  });

  it("without PUBLIC_URL nothing is published (cards show native charts or alt text)", async () => {
    expect((await publishChartImages({ ...deps(), publicUrl: null }, "teams:tenant-a", [trend])).size).toBe(
      0,
    );
  });
});

describe("PUBLIC_URL", () => {
  it("must be HTTPS; plain http only on loopback; the error names the variable and says why", () => {
    expect(parseConfig({ PUBLIC_URL: "https://bot.example.com" }).publicUrl).toBe("https://bot.example.com");
    expect(parseConfig({ PUBLIC_URL: "http://localhost:3000" }).publicUrl).toBe("http://localhost:3000");
    expect(parseConfig({ PUBLIC_URL: "http://127.0.0.1:3000" }).publicUrl).toBe("http://127.0.0.1:3000");
    for (const bad of ["http://bot.example.com", "http://localhost.example.com", "ftp://bot.example.com"]) {
      let error: unknown;
      try {
        parseConfig({ PUBLIC_URL: bad });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ClgError);
      expect(String((error as Error).message)).toMatch(/PUBLIC_URL: must start with https:\/\//);
    }
  });

  it("chart URLs keep the path PUBLIC_URL has", () => {
    expect(chartImageUrl("https://h.example/a/b", "T")).toBe("https://h.example/a/b/charts/T.png");
    expect(chartImageUrl("https://h.example/", "T")).toBe("https://h.example/charts/T.png");
  });
});
