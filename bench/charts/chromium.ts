import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import type { TopLevelSpec } from "vega-lite";
import { launchChromium } from "../../test/support/chromium.ts";
import { summarize, timeEach } from "./stats.ts";

const require = createRequire(import.meta.url);

/** vega, vega-lite and vega-embed inlined from node_modules: the page needs no network. */
function pageHtml(): string {
  const script = (pkg: string, file: string) =>
    `<script>${readFileSync(join(dirname(require.resolve(pkg)), file), "utf8")}</script>`;
  const scripts = [
    script("vega", "vega.min.js"),
    script("vega-lite", "vega-lite.min.js"),
    script("vega-embed", "vega-embed.min.js"),
  ];
  return `<!doctype html><html><body><div id="chart"></div>${scripts.join("")}</body></html>`;
}

type EmbedPage = Awaited<ReturnType<Browser["newPage"]>>;

async function renderInPage(page: EmbedPage, spec: TopLevelSpec, scale: number): Promise<Buffer> {
  const url = await page.evaluate(
    async ({ spec, scale }) => {
      const w = globalThis as unknown as {
        vegaEmbed: (
          el: string,
          spec: unknown,
          opts: unknown,
        ) => Promise<{ view: { toImageURL(t: string, s: number): Promise<string> }; finalize(): void }>;
      };
      const result = await w.vegaEmbed("#chart", spec, { renderer: "canvas", actions: false });
      const png = await result.view.toImageURL("png", scale);
      result.finalize();
      return png;
    },
    { spec, scale },
  );
  return Buffer.from(url.slice(url.indexOf(",") + 1), "base64");
}

export interface BrowserFigures {
  freshPage: ReturnType<typeof summarize>;
  reusedPage: ReturnType<typeof summarize>;
  bytes: number;
}

/** The BI-tool way: the same spec embedded with vega-embed in headless Chromium, a fresh page per chart or one reused page. */
export async function chromiumFigures(
  spec: (i: number) => TopLevelSpec,
  opts: { fresh: number; reused: number },
): Promise<BrowserFigures> {
  const browser = await launchChromium();
  try {
    const html = pageHtml();
    let bytes = 0;
    const fresh = await timeEach(opts.fresh + 1, async (i) => {
      const page = await browser.newPage();
      await page.setContent(html);
      bytes = (await renderInPage(page, spec(i), 2)).length;
      await page.close();
    });
    const page = await browser.newPage();
    await page.setContent(html);
    for (let i = 0; i < 5; i++) await renderInPage(page, spec(i), 2);
    const reused = await timeEach(opts.reused, (i) => renderInPage(page, spec(i + 5), 2));
    await page.close();
    // the first fresh page also starts the browser's renderer process: counted out, as a warm service would
    return { freshPage: summarize(fresh.slice(1)), reusedPage: summarize(reused), bytes };
  } finally {
    await browser.close();
  }
}
