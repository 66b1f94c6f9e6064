// Renders docs/teams/<kind>.png: one Teams card of each kind the app sends, drawn by the adaptivecards HTML
// renderer in headless Chromium. Charts show as their PNG fallback (what Teams mobile shows); Teams desktop
// and web draw the same data as a native chart.
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import type { Asker } from "../src/app/answers/answer-context.ts";
import { composeDigest } from "../src/app/answers/digest-answer.ts";
import { ask } from "../src/app/ask.ts";
import { evaluateWorkspace } from "../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../src/app/workspace-catalog.ts";
import { fitPng } from "../src/charts/fit-png.ts";
import { listDeliveries } from "../src/db/deliveries-repository.ts";
import type { Message } from "../src/messages/message.ts";
import { toAdaptiveCard } from "../src/teams/adaptive-card.ts";
import { launchChromium } from "../test/support/chromium.ts";
import { openTestRuntime } from "../test/support/test-runtime.ts";

const OUT = new URL("../docs/teams/", import.meta.url);
const LIBRARY = createRequire(import.meta.url).resolve("adaptivecards/dist/adaptivecards.min.js");

/** Teams' light theme, as far as the card needs it: fonts, spacing, and the colours of the status words. */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'Liberation Sans', 'DejaVu Sans', sans-serif",
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: {
        default: { default: "#242424", subtle: "#616161" },
        accent: { default: "#5B5FC7", subtle: "#7F85F5" },
        good: { default: "#237B4B", subtle: "#237B4B" },
        warning: { default: "#835C00", subtle: "#835C00" },
        attention: { default: "#C4314B", subtle: "#C4314B" },
      },
    },
  },
  actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: "horizontal", actionAlignment: "left" },
  factSet: {
    title: { weight: "bolder", wrap: true, maxWidth: 180 },
    value: { wrap: true },
    spacing: 12,
  },
};

const PAGE_STYLE = `
  body { margin: 0; padding: 24px; background: #F5F5F5; font-family: ${HOST_CONFIG.fontFamily}; }
  #card { width: 640px; background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); overflow: hidden; }
  .ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; padding: 5px 12px; border: 1px solid #D1D1D1;
    border-radius: 4px; background: #FFFFFF; color: #242424; }
  .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
  .ac-pushButton.style-destructive { color: #C4314B; }
  .ac-image { max-width: 100%; height: auto !important; }`;

const asker: Asker = {
  workspace: "local",
  platform: "local",
  channel: "ops",
  user: "dana",
  isAdmin: true,
  locale: "en-US",
};

const rt = await openTestRuntime({ runtime: { charts: true, chartBudgetMs: 20_000 } });
const browser = await launchChromium();
try {
  const say = async (text: string) => (await ask(rt, asker, text)).message;
  const kinds: [string, Message][] = [
    ["answer", await say("activation 28d")],
    ["board", await say("board")],
    ["stage", await say("stage activation")],
    ["breakdown", await say("churn by plan")],
    ["digest", await composeDigest({ ...rt, catalog: await loadWorkspaceCatalog(rt.db, "local") }, "en-US")],
    ["help", await say("help")],
    ["error", await say("activaton 28q")],
    ["sources", await say("sources")],
  ];
  await say("subscribe alerts all");
  await say("threshold new_visitors red < 60000 7d");
  await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
  const [alert] = await listDeliveries(rt.db, "local", { channel: "ops" });
  if (!alert) throw new Error("no alert was queued");
  kinds.push(["alert", (alert.payload as { message: Message }).message]);

  mkdirSync(OUT, { recursive: true });
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const [kind, message] of kinds) {
    // The PNGs the service would publish, inlined: the picture needs no server.
    const urls = new Map<string, string>();
    for (const chart of await rt.charts.renderMessage(message)) {
      if (!chart.png) continue;
      const { png } = await fitPng(chart.png);
      urls.set(chart.id, `data:image/png;base64,${png.toString("base64")}`);
    }
    const card = toAdaptiveCard(message, { chartUrl: (id) => urls.get(id) ?? null });
    await page.setContent(
      `<!doctype html><meta charset="utf-8"><style>${PAGE_STYLE}</style><div id="card"></div>`,
    );
    await page.addScriptTag({ path: LIBRARY });
    const problems = await page.evaluate(
      ({ card, hostConfig }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the library's global in the page.
        const AC = (window as any).AdaptiveCards;
        // Teams' Markdown as far as the cards use it: backslash escapes and **bold**.
        AC.AdaptiveCard.onProcessMarkdown = (
          text: string,
          result: { outputHtml: string; didProcess: boolean },
        ) => {
          const escapes: string[] = [];
          const html = text
            .replace(
              /\\([\\`*_[\]~#>+\-.)])/g,
              (_m: string, c: string) => `\uE000${escapes.push(c) - 1}\uE000`,
            )
            .replace(/&/g, "&amp;")
            .replace(/</g, "&lt;")
            .replace(/>/g, "&gt;")
            .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
            .replace(/\n/g, "<br>")
            .replace(/\uE000(\d+)\uE000/g, (_m: string, i: string) =>
              (escapes[Number(i)] ?? "").replace("<", "&lt;").replace(">", "&gt;"),
            );
          result.outputHtml = `<p>${html}</p>`;
          result.didProcess = true;
        };
        const adaptive = new AC.AdaptiveCard();
        adaptive.hostConfig = new AC.HostConfig(hostConfig);
        const context = new AC.SerializationContext();
        adaptive.parse(card, context);
        const events: string[] = [];
        for (let i = 0; i < context.eventCount; i++) events.push(context.getEventAt(i).message);
        const element = adaptive.render();
        document.getElementById("card")?.appendChild(element);
        return events;
      },
      { card, hostConfig: HOST_CONFIG },
    );
    const unexpected = problems.filter((p) => !/^Unknown element type "Chart\./.test(p));
    if (unexpected.length > 0) throw new Error(`${kind}: ${unexpected.join("; ")}`);
    await page.waitForFunction(() => [...document.images].every((i) => i.complete));
    const file = new URL(`${kind}.png`, OUT);
    await page.locator("#card").screenshot({ path: file.pathname });
    console.log(`docs/teams/${kind}.png`);
  }
} finally {
  await browser.close();
  await rt.close();
}
