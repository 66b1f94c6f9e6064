import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Asker } from "../../src/app/answers/answer-context.ts";
import { composeDigest } from "../../src/app/answers/digest-answer.ts";
import { ask } from "../../src/app/ask.ts";
import { deliverDue } from "../../src/app/deliver-outbox.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { chartHash } from "../../src/charts/chart-hash.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import type { KpiRow, Message } from "../../src/messages/message.ts";
import { cardBytes, toAdaptiveCard } from "../../src/teams/adaptive-card.ts";
import { TEAMS_CARD_LIMITS } from "../../src/teams/card-limits.ts";
import { escapeMarkdown, teamsText } from "../../src/teams/teams-markdown.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";
import { elementsOf, NATIVE_CHART, parseCard, UNKNOWN_ELEMENT } from "./card-validation.ts";

let rt: TestRuntime;
const asker: Asker = {
  workspace: "local",
  platform: "local",
  channel: "ops",
  user: "dana",
  isAdmin: true,
  locale: "en-US",
};
const url = (id: string) => `https://clg.example.com/charts/${id}.png`;
const messages = new Map<string, Message>();

beforeAll(async () => {
  rt = await openTestRuntime();
  const say = async (text: string) => (await ask(rt, asker, text)).message;
  messages.set("answer", await say("activation 28d"));
  messages.set("board", await say("board"));
  messages.set("stage", await say("stage activation"));
  messages.set("breakdown", await say("churn by plan"));
  messages.set("help", await say("help"));
  messages.set("error", await say("activaton 28q"));
  messages.set("sources", await say("sources"));
  messages.set(
    "digest",
    await composeDigest({ ...rt, catalog: await loadWorkspaceCatalog(rt.db, "local") }, "en-US"),
  );
  // An alert as the app composes it: a subscribed channel, a threshold change, an evaluation.
  await say("subscribe alerts all");
  await say("threshold new_visitors red < 60000 7d");
  await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
  const [alert] = await listDeliveries(rt.db, "local", { channel: "ops" });
  if (!alert) throw new Error("the threshold change queued no alert");
  messages.set("alert", (alert.payload as { message: Message }).message);
  // Once posted, a snooze edits the alert in place: the edited card says who snoozed it.
  await deliverDue(rt);
  await say("snooze new_visitors 1d");
  await say("threshold new_visitors red < 1000 7d");
  await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
  const update = (await listDeliveries(rt.db, "local", { channel: "ops" })).find((d) => d.kind === "update");
  if (!update) throw new Error("the snooze queued no update of the alert");
  messages.set("alert update", (update.payload as { message: Message }).message);
}, 60_000);
afterAll(async () => {
  await rt.close();
});

/** Unknown to the reference library: only Teams' native charts, each with a standard fallback. */
function unexpectedEvents(events: readonly string[]): string[] {
  return events.filter(
    (e) =>
      !new RegExp(
        `^${UNKNOWN_ELEMENT}: Unknown element type "Chart\\.(Line|HorizontalBar|VerticalBar)"`,
      ).test(e),
  );
}

describe("every card kind the app produces is a valid Adaptive Card 1.5 for Teams", () => {
  const kinds = [
    "answer",
    "board",
    "stage",
    "breakdown",
    "alert",
    "alert update",
    "digest",
    "help",
    "error",
    "sources",
  ];

  it.each(kinds)("%s: parses with no errors, under the size aim", (kind) => {
    const message = messages.get(kind);
    expect(message, kind).toBeDefined();
    const card = toAdaptiveCard(message as Message, { chartUrl: url });
    expect(card.version).toBe("1.5");
    const { events, json } = parseCard(card);
    expect(unexpectedEvents(events)).toEqual([]);
    expect(json.body?.length).toBeGreaterThan(0);
    // The only elements the reference library does not know are Teams' native charts: each has the documented
    // shape and a standard fallback, and the library put that fallback in its place.
    const native = elementsOf(card.body).filter((e) => e.type.startsWith("Chart."));
    expect(events.length).toBe(native.length);
    for (const chart of native) {
      expect(NATIVE_CHART.safeParse(chart).error?.issues ?? []).toEqual([]);
      const fallback = chart.fallback as { type: string };
      expect(elementsOf(json.body).some((e) => e.type === fallback.type)).toBe(true);
    }
    expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMITS.aimBytes);
    // Nothing vanished: every chart's alt text is on the card, and every button's command.
    for (const block of (message as Message).blocks) {
      if (block.type === "chart") expect(JSON.stringify(card)).toContain(block.chart.altText.slice(0, 40));
      if (block.type === "actions")
        for (const b of block.buttons) expect(JSON.stringify(card)).toContain(JSON.stringify(b.command));
    }
  });

  it("the kinds are the ones the app really produces (each message has what its kind means)", () => {
    const types = (k: string) => messages.get(k)?.blocks.map((b) => b.type) ?? [];
    const templates = (k: string) =>
      messages.get(k)?.blocks.flatMap((b) => (b.type === "chart" ? [b.chart.request.template] : [])) ?? [];
    expect(templates("answer")).toEqual(["trend"]);
    expect(templates("board")).toContain("board");
    expect(templates("breakdown")).toEqual(["breakdown"]);
    expect(templates("alert")).toEqual(["trend"]);
    expect(types("digest")).toContain("kpis");
    expect(messages.get("error")?.tone).toBe("error");
    expect(JSON.stringify(messages.get("alert update"))).toContain("snoozed by dana");
  });
});

describe("charts", () => {
  it("a trend is a native line chart with the PNG as its fallback; the reference parser falls back to it", () => {
    const message = messages.get("answer") as Message;
    const chart = message.blocks.find((b) => b.type === "chart");
    if (chart?.type !== "chart") throw new Error("no chart");
    const card = toAdaptiveCard(message, { chartUrl: url });
    const line = elementsOf(card.body).find((e) => e.type === "Chart.Line");
    expect(line).toMatchObject({
      title: expect.any(String),
      fallback: { type: "Image", url: url(chartHash(chart.chart.request)), altText: chart.chart.altText },
    });
    const series = line?.data as { legend: string; values: { x: string; y: number }[]; color: string }[];
    expect(series[0]?.values.length).toBeGreaterThanOrEqual(28);
    expect(series[0]?.values.every((v) => typeof v.x === "string" && Number.isFinite(v.y))).toBe(true);
    expect(["good", "warning", "attention", "neutral"]).toContain(series[0]?.color);
    const { events, json } = parseCard(card);
    expect(events.filter((e) => e.startsWith(`${UNKNOWN_ELEMENT}:`))).toHaveLength(1);
    expect(
      elementsOf(json.body).some((e) => e.type === "Image" && e.url === url(chartHash(chart.chart.request))),
    ).toBe(true);
  });

  it("a breakdown is a native horizontal bar chart coloured by status", () => {
    const card = toAdaptiveCard(messages.get("breakdown") as Message, { chartUrl: url });
    const bar = elementsOf(card.body).find((e) => e.type === "Chart.HorizontalBar");
    const data = bar?.data as { x: string; y: number; color: string }[];
    expect(data.length).toBeGreaterThan(1);
    expect(data.every((d) => ["good", "warning", "attention", "neutral"].includes(d.color))).toBe(true);
    expect(bar?.fallback).toMatchObject({ type: "Image" });
  });

  it("the six-stage board stays an image", () => {
    const card = toAdaptiveCard(messages.get("board") as Message, { chartUrl: url });
    const types = elementsOf(card.body).map((e) => e.type);
    expect(types).toContain("Image");
    expect(types.filter((t) => t.startsWith("Chart."))).toEqual([]);
    // Teams lets people open the image full size (its small print is easier to read there).
    expect(elementsOf(card.body).find((e) => e.type === "Image")?.msTeams).toEqual({ allowExpand: true });
  });

  it("without a URL the chart is its alt text, never gone; native charts fall back to that text", () => {
    for (const kind of ["answer", "board"]) {
      const message = messages.get(kind) as Message;
      const alt = message.blocks.flatMap((b) => (b.type === "chart" ? [b.chart.altText] : []))[0] ?? "";
      const card = toAdaptiveCard(message, { chartUrl: () => null, nativeCharts: false });
      expect(elementsOf(card.body).some((e) => e.type === "Image")).toBe(false);
      expect(JSON.stringify(card)).toContain(JSON.stringify(teamsText(`Chart: ${alt}`)).slice(1, 40));
      const native = toAdaptiveCard(message, {});
      const parsed = parseCard(native);
      expect(unexpectedEvents(parsed.events)).toEqual([]);
      expect(JSON.stringify(parsed.json)).toContain("Chart: ");
    }
  });
});

describe("rows, buttons and text", () => {
  it("KPI rows carry status colour, symbol and label, and the delta coloured by whether it is good", () => {
    const card = toAdaptiveCard(messages.get("board") as Message, { chartUrl: url });
    const text = JSON.stringify(card);
    expect(text).toContain('"color":"Attention"'); // activation is red in the demo
    expect(text).toMatch(/■ red/);
    const rows = (messages.get("board") as Message).blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []));
    const withDelta = rows.find((r) => r.delta !== null && r.deltaGood !== null) as KpiRow;
    expect(text).toContain(JSON.stringify(teamsText(withDelta.delta as string)));
  });

  it("an unrated KPI is neutral: no colour, '– no status'", () => {
    const row: KpiRow = {
      slug: "x",
      name: "Signups",
      stage: "interest",
      window: "7d",
      value: 3,
      formatted: "3",
      status: "green",
      rated: false,
      delta: null,
      deltaGood: null,
      target: null,
      note: null,
    };
    const card = toAdaptiveCard({ summary: "s", blocks: [{ type: "kpis", rows: [row] }] });
    const texts = elementsOf(card.body).filter((e) => e.type === "TextBlock");
    const mark = texts.find((t) => String(t.text).includes("no status"));
    expect(mark?.color).toBeUndefined();
    expect(texts.some((t) => t.color === "Good")).toBe(false);
  });

  it("buttons are Action.Execute (verb clg, the button's command) with an Action.Submit fallback", () => {
    const card = toAdaptiveCard(messages.get("alert") as Message, { chartUrl: url });
    const actions = elementsOf(card.body).filter((e) => e.type === "Action.Execute");
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) {
      expect(a.verb).toBe("clg");
      expect(a.data).toEqual({ command: expect.any(String) });
      expect(a.fallback).toEqual({
        type: "Action.Submit",
        title: a.title,
        data: a.data,
        ...(a.style ? { style: a.style } : {}),
      });
    }
    const { json } = parseCard(card);
    expect(elementsOf(json.body).filter((e) => e.type === "Action.Execute")).toHaveLength(actions.length);
  });

  it("hostile text is escaped, not dropped; the model's **bold** is kept", () => {
    expect(teamsText("**Logo churn** turned [red](https://evil.example)")).toBe(
      "**Logo churn** turned \\[red\\](https://evil.example)",
    );
    expect(teamsText("# title\n- item\n> quote\n1. one\n---")).toBe(
      "\\# title\n\\- item\n\\> quote\n1\\. one\n\\---",
    );
    expect(teamsText("-12% vs last week")).toBe("-12% vs last week");
    expect(teamsText("a_b*c`d~e\\f")).toBe("a\\_b\\*c\\`d\\~e\\\\f");
    expect(teamsText("odd ** pair")).toBe("odd \\*\\* pair");
    expect(teamsText("46.2% +3.1 pp")).toBe("46.2% +3.1 pp");
    expect(escapeMarkdown("<at>everyone</at>")).toBe("<at>everyone</at>");
    const hostile = "**x** [click](javascript:alert(1)) <script>alert(1)</script> _y_";
    const card = toAdaptiveCard({
      summary: hostile,
      blocks: [
        { type: "header", text: hostile },
        { type: "fields", fields: [{ label: "[a](b)", value: hostile }] },
        { type: "actions", buttons: [{ label: hostile, command: "snooze churn 1d" }] },
      ],
    });
    // Markdown is read in TextBlocks and facts; button titles and the fallback text are plain text.
    const markdown = JSON.stringify(card.body.filter((e) => e.type !== "ActionSet"));
    expect(markdown).not.toMatch(/[^\\]\[click/);
    expect(markdown).toContain("\\\\[click\\\\]");
    expect(markdown).toContain("**x**");
    expect(unexpectedEvents(parseCard(card).events)).toEqual([]);
  });
});

describe("size budget", () => {
  const row = (i: number): KpiRow => ({
    slug: `kpi_${i}`,
    name: `KPI number ${i} with a long name ${"x".repeat(60)}`,
    stage: "activation",
    window: "28d",
    value: i,
    formatted: `${i}%`,
    status: i % 3 === 0 ? "red" : "green",
    rated: true,
    delta: `+${i} pp vs previous 28d`,
    deltaGood: true,
    target: `on pace for ${i}% this quarter`,
    note: "y".repeat(200),
  });

  it("a huge message stays under 100 KB with visible '… N more' lines, never a silent cut", () => {
    const huge: Message = {
      summary: "huge",
      blocks: [
        { type: "header", text: "H".repeat(5_000) },
        { type: "kpis", rows: Array.from({ length: 500 }, (_, i) => row(i)) },
        {
          type: "fields",
          fields: Array.from({ length: 200 }, (_, i) => ({ label: `f${i}`, value: "v".repeat(400) })),
        },
        ...Array.from({ length: 150 }, () => ({ type: "text" as const, text: "t".repeat(10_000) })),
        {
          type: "actions",
          buttons: Array.from({ length: 10 }, (_, i) => ({
            label: `b${i}`,
            command: `activation ${i + 1}d`,
          })),
        },
      ],
    };
    const card = toAdaptiveCard(huge);
    expect(cardBytes(card)).toBeLessThanOrEqual(TEAMS_CARD_LIMITS.maxBytes);
    const texts = elementsOf(card.body).map((e) => String(e.text ?? ""));
    expect(texts.some((t) => /^… 480 more KPIs$/.test(t))).toBe(true);
    expect(texts.some((t) => /^… 185 more facts$/.test(t))).toBe(true);
    expect(texts.at(-1)).toMatch(/^… \d+ more parts not shown/);
    expect(unexpectedEvents(parseCard(card).events)).toEqual([]);
  });

  it("a card over the aim is drawn with the compact budget (fewer rows, still the '… more' line)", () => {
    const big: Message = {
      summary: "big",
      blocks: [{ type: "kpis", rows: Array.from({ length: 40 }, (_, i) => row(i)) }],
    };
    const card = toAdaptiveCard(big);
    expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMITS.aimBytes);
    expect(JSON.stringify(card)).toContain("… 20 more KPIs");
  });

  it("a long trend is thinned to the budget, its last point kept", () => {
    const days = Array.from({ length: 700 }, (_, i) => ({
      day: new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10),
      value: i,
    }));
    const card = toAdaptiveCard({
      summary: "s",
      blocks: [
        {
          type: "chart",
          chart: {
            altText: "a line",
            request: {
              template: "trend",
              title: "t",
              unit: "%",
              points: days,
              previous: days,
              status: "green",
            },
          },
        },
      ],
    });
    const line = elementsOf(card.body).find((e) => e.type === "Chart.Line");
    const [current] = (line?.data ?? []) as { values: { x: string; y: number }[] }[];
    expect(current?.values.length).toBe(120);
    expect(current?.values.at(-1)).toEqual({ x: days.at(-1)?.day.slice(5), y: 699 });
  });
});

describe("boundary", () => {
  it("the renderer imports no SDK and no application, adapter or database code", () => {
    const files = [
      "adaptive-card.ts",
      "card-limits.ts",
      "card-types.ts",
      "native-chart.ts",
      "teams-markdown.ts",
    ];
    const imports = files.flatMap((f) =>
      [
        ...readFileSync(resolve(import.meta.dirname, "../../src/teams", f), "utf8").matchAll(
          /from\s+"([^"]+)"/g,
        ),
      ].map((m) => `${f}: ${m[1]}`),
    );
    const allowed =
      /: \.\/|: \.\.\/(messages\/message|charts\/chart-request|charts\/chart-hash|kpi\/status)\.ts$/;
    expect(imports.filter((i) => !allowed.test(i))).toEqual([]);
    expect(imports.length).toBeGreaterThan(5);
  });
});
