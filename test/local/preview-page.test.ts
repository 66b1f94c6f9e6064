/// <reference lib="dom" />
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

let t: TestService;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  t = await startTestService({ charts: true });
  browser = await launchChromium();

  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe("the preview page in headless Chromium", () => {
  it("shows what a subscribed channel got at start", async () => {
    await page.goto(`${t.base}/?channel=growth`);
    await page.locator(".entry.bot").first().waitFor();
    expect(await page.locator(".entry.bot .header").first().textContent()).toContain("CLG digest");
    expect(await page.locator("#channel option").allTextContents()).toContain("#growth");
  });

  it("answers a typed command with the KPI row, its status in words, and a chart that loads", async () => {
    await page.goto(`${t.base}/?channel=general`);
    await page.fill("#text", "activation 28d");
    await page.press("#text", "Enter");
    const answer = page.locator(".entry.bot").last();
    await answer.locator("table.kpis").waitFor();
    expect(await answer.locator("table.kpis").textContent()).toContain("Activation rate");
    expect(await answer.locator("td.status").first().textContent()).toMatch(/red/);
    const img = answer.locator("img.chart");
    await img.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector(".entry.bot:last-of-type img.chart") as HTMLImageElement | null;
      return el?.complete && el.naturalWidth > 0;
    });
    expect(await img.getAttribute("alt")).toContain("Activation rate");
    mkdirSync("out", { recursive: true });
    await page.screenshot({ path: "out/preview.png", fullPage: false });
  });

  it("a button runs its command in the same channel", async () => {
    const before = await page.locator(".entry.bot").count();
    await page.locator(".entry.bot").last().locator(".actions button", { hasText: "7d" }).click();
    await page.waitForFunction((n) => document.querySelectorAll(".entry.bot").length > n, before);
    expect(await page.locator(".entry.bot").last().locator(".header").textContent()).toContain("last 7 days");
  });

  it("a typo gets a friendly suggestion, shown as an error", async () => {
    await page.fill("#text", "activaton");
    await page.press("#text", "Enter");
    const err = page.locator(".entry.bot.error").last();
    await err.waitFor();
    expect(await err.textContent()).toContain('Did you mean "activation"');
  });

  it("escapes what people type", async () => {
    await page.fill("#text", "<img src=x onerror=alert(1)>");
    await page.press("#text", "Enter");
    await page.locator(".entry.user code", { hasText: "<img" }).waitFor();
    expect(await page.locator(".entry.user img").count()).toBe(0);
  });
});
