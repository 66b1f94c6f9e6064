/// <reference lib="dom" />
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRunningService } from "../../src/local/service-file.ts";
import { BROWSER_TESTS, launchChromium } from "../support/chromium.ts";
import { startTestService, type TestService } from "../support/test-service.ts";

const ATTACK = "threshold activation red < 99";

let t: TestService;
let browser: Browser;
let evil: Server;
let evilBase: string;
let token: string;

/** What the service heard anywhere: an attack that got through would show up as a user entry here. */
const heard = () =>
  t.rt.channelLog
    .since(0)
    .filter((e) => e.author === "user")
    .map((e) => e.text);

beforeAll(async () => {
  if (!BROWSER_TESTS) return;
  t = await startTestService();
  token = findRunningService(t.dataDir)?.token ?? "";
  // Another site the operator happens to visit, on another local port.
  evil = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>a page of another site</title><iframe name=sink></iframe>");
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  evilBase = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
  // rebind.test plays a name that an attacker's DNS first points at its own server, then at 127.0.0.1.
  browser = await launchChromium(["--host-resolver-rules=MAP rebind.test 127.0.0.1"]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => evil?.close(resolve));
  await t?.stop();
});

async function evilPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${evilBase}/`);
  return page;
}

describe.runIf(BROWSER_TESTS)(
  "a page of another origin, in headless Chromium, cannot command the local service",
  () => {
    it("a text/plain fetch (no permission needed from the browser) is refused", async () => {
      const page = await evilPage();
      const target = `http://localhost:${t.service.port}/api/local/ask`;
      await page.evaluate(
        async ({ target, text }) => {
          await fetch(target, {
            method: "POST",
            mode: "no-cors",
            headers: { "content-type": "text/plain" },
            body: JSON.stringify({ text }),
          });
        },
        { target, text: ATTACK },
      );
      expect(heard()).not.toContain(ATTACK);
      await page.close();
    });

    it("a JSON fetch, even one that guessed the token, is stopped by the browser or refused by the service", async () => {
      const page = await evilPage();
      const target = `http://localhost:${t.service.port}/api/local/ask`;
      const outcome = await page.evaluate(
        async ({ target, text, token }) => {
          try {
            const res = await fetch(target, {
              method: "POST",
              headers: { "content-type": "application/json", "x-clg-token": token },
              body: JSON.stringify({ text }),
            });
            return `answered ${res.status}`;
          } catch {
            return "blocked";
          }
        },
        { target, text: ATTACK, token },
      );
      expect(outcome).toBe("blocked");
      expect(heard()).not.toContain(ATTACK);
      await page.close();
    });

    it("a form POST (the classic cross-site request) is refused", async () => {
      const page = await evilPage();
      const target = `http://localhost:${t.service.port}/api/local/ask`;
      const answered = page.waitForResponse((r) => r.url() === target);
      await page.evaluate(
        ({ target, text }) => {
          const form = document.createElement("form");
          form.method = "POST";
          form.action = target;
          form.enctype = "text/plain";
          form.target = "sink";
          const input = document.createElement("input");
          // text/plain forms send name=value: this makes the body read as JSON.
          input.name = `{"text":"${text}","pad":"`;
          input.value = '"}';
          form.appendChild(input);
          document.body.appendChild(form);
          form.submit();
        },
        { target, text: ATTACK },
      );
      expect((await answered).status()).toBe(403);
      expect(heard()).not.toContain(ATTACK);
      await page.close();
    });

    it("cannot read the token from the preview page", async () => {
      const page = await evilPage();
      const read = await page.evaluate(async (base) => {
        try {
          return await (await fetch(`${base}/`)).text();
        } catch {
          return "blocked";
        }
      }, `http://localhost:${t.service.port}`);
      expect(read).toBe("blocked");
      await page.close();
    });

    it("a rebound name pointing at the service gets neither the page nor the endpoints", async () => {
      const page = await browser.newPage();
      const res = await page.goto(`http://rebind.test:${t.service.port}/`);
      expect(res?.status()).toBe(403);
      expect(await page.content()).not.toContain(token);
      const status = await page.evaluate(async (text) => {
        const r = await fetch("/api/local/ask", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ text }),
        });
        return r.status;
      }, ATTACK);
      expect(status).toBe(403);
      expect(heard()).not.toContain(ATTACK);
      await page.close();
    });

    it("while the real preview page, served by the service, still works", async () => {
      const page = await browser.newPage();
      await page.goto(`http://localhost:${t.service.port}/?channel=general`);
      await page.fill("#text", "sources");
      await page.press("#text", "Enter");
      await page.locator(".entry.user code", { hasText: "sources" }).waitFor();
      await page.locator(".entry.bot").last().waitFor();
      expect(heard()).toContain("sources");
      await page.close();
    });
  },
);
