/// <reference lib="dom" />
import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_TESTS, launchChromium } from "../support/chromium.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

let t: TestService;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!BROWSER_TESTS) return;
  t = await startTestService({ charts: true });
  browser = await launchChromium();

  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe.runIf(BROWSER_TESTS)("the preview page in headless Chromium", () => {
  it("shows what a subscribed channel got at start", async () => {
    await page.goto(`${t.base}/?channel=growth`);
    await page.locator(".entry.bot").first().waitFor();
    expect(await page.locator(".entry.bot .header").first().textContent()).toContain("CLG digest");
    expect(await page.locator("#channel option").allTextContents()).toContainEqual(
      expect.stringMatching(/^#growth\b/),
    );
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

  it("an empty submit shows help", async () => {
    const before = await page.locator(".entry.bot").count();
    await page.fill("#text", "");
    await page.press("#text", "Enter");
    await page.waitForFunction((n) => document.querySelectorAll(".entry.bot").length > n, before);
    expect(await page.locator(".entry.bot").last().locator(".header").textContent()).toContain(
      "clg: Customer-Led Growth KPIs",
    );
  });

  it("a 10,000-character command gets the same friendly answer as from the service", async () => {
    await page.fill("#text", "a".repeat(10_000));
    await page.press("#text", "Enter");
    const err = page.locator(".entry.bot.error", { hasText: "That command is too long" }).last();
    await err.waitFor();
    const entries = t.rt.channelLog.since(0, "general").filter((e) => e.author === "bot");
    const answer = entries[entries.length - 1]?.message;
    expect(answer?.tone).toBe("error");
    for (const block of answer?.blocks ?? []) {
      if ("text" in block) expect(await err.textContent()).toContain(block.text.replace(/`/g, ""));
    }
  });

  it("shows a reply under its thread and an update as an edit of the earlier message", async () => {
    await page.goto(`${t.base}/?channel=threads`);
    const post = (text: string, threadOf?: number) =>
      t.rt.channelLog.append({
        channel: "threads",
        at: new Date().toISOString(),
        author: "bot",
        text: null,
        message: { summary: text, blocks: [{ type: "text", text }] },
        charts: [],
        ...(threadOf ? { threadOf } : {}),
      });
    const root = post("activation fell below 50%");
    post("something else entirely");
    post("activation recovered", root.id);
    const reply = page.locator(".entry.reply", { hasText: "activation recovered" });
    await reply.waitFor();
    expect(await reply.evaluate((el) => el.previousElementSibling?.textContent)).toContain("fell below 50%");
    t.rt.channelLog.edit(root.id, {
      message: { summary: "x", blocks: [{ type: "text", text: "activation was below 50% (recovered)" }] },
      charts: [],
      at: new Date().toISOString(),
    });
    const edited = page.locator(`.entry[data-id="${root.id}"]`, { hasText: "(recovered)" });
    await edited.waitFor();
    expect(await edited.locator(".meta").textContent()).toContain("edited");
  });

  it("escapes what people type", async () => {
    await page.fill("#text", "<img src=x onerror=alert(1)>");
    await page.press("#text", "Enter");
    await page.locator(".entry.user code", { hasText: "<img" }).waitFor();
    expect(await page.locator(".entry.user img").count()).toBe(0);
  });
});

describe.runIf(BROWSER_TESTS)(
  "the preview page opens where something happened, says what channels are for, and fits a phone",
  () => {
    it("opens on the channel with the latest post", async () => {
      const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const all = t.rt.channelLog.since(0);
      const latest = all[all.length - 1]?.channel;
      expect(latest).toBeDefined();
      await p.goto(`${t.base}/`);
      await p.locator(".entry").first().waitFor();
      expect(await p.locator("#channel").inputValue()).toBe(latest);

      // Something new elsewhere: the next visit opens there.
      await t.service.ready;
      t.rt.channelLog.append({
        channel: "ops-probe",
        at: new Date().toISOString(),
        author: "bot",
        text: null,
        message: { summary: "probe", blocks: [{ type: "text", text: "a post in ops-probe" }] },
        charts: [],
      });
      await p.goto(`${t.base}/`);
      await p.locator(".entry", { hasText: "a post in ops-probe" }).waitFor();
      expect(await p.locator("#channel").inputValue()).toBe("ops-probe");
      await p.close();
    });

    it("names what each channel is for, from the subscriptions and the admin channel", async () => {
      const p = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      await p.goto(`${t.base}/?channel=growth`);
      await p.waitForFunction(() =>
        [...document.querySelectorAll("#channel option")].some((o) => o.textContent?.includes("digest")),
      );
      const options = await p.locator("#channel option").allTextContents();
      expect(options).toContain("#growth — the weekly digest · alerts on Activation rate");
      expect(options).toContain("#clg-admins — source failures");
      expect(options).toContain("#customer-success — alerts on the Customer success stage");
      expect(await p.locator("#purpose").textContent()).toBe(
        "#growth — the weekly digest · alerts on Activation rate",
      );
      mkdirSync("out", { recursive: true });
      await p.screenshot({ path: "out/preview-growth.png" });
      await p.close();
    });

    it("fits a 390 px phone: no horizontal scroll, with a digest and a chart on screen", async () => {
      const p = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
      await p.goto(`${t.base}/?channel=growth`);
      await p.locator(".entry.bot table.kpis").first().waitFor();
      await p.fill("#text", "activation 28d");
      await p.press("#text", "Enter");
      // The chart comes when it is drawn within its time budget; a busy machine may answer with text only.
      await p.locator(".entry.bot .header", { hasText: "Activation rate · last 28 days" }).last().waitFor();
      await p.waitForFunction(() =>
        ([...document.querySelectorAll("img.chart")] as HTMLImageElement[]).every((i) => i.complete),
      );
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await p.evaluate(() => document.body.scrollWidth)).toBeLessThanOrEqual(390);
      mkdirSync("out", { recursive: true });
      await p.screenshot({ path: "out/preview-phone.png" });
      await p.close();
    }, 60_000);
  },
);
