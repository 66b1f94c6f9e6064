import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { KnownBlock } from "@slack/types";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Asker } from "../../src/app/answers/answer-context.ts";
import { ask } from "../../src/app/ask.ts";
import { evaluateWorkspace } from "../../src/app/evaluate-workspace.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { listDeliveries } from "../../src/db/deliveries-repository.ts";
import { ClgError } from "../../src/errors.ts";
import type { KpiRow, Message } from "../../src/messages/message.ts";
import { renderErrorMessage } from "../../src/messages/render-error.ts";
import { chartIdOf, isClgActionId, type SlackMessagePart, toBlockKit } from "../../src/slack/block-kit.ts";
import { SLACK_LIMITS as L } from "../../src/slack/block-kit-limits.ts";
import { splitText, toMrkdwn, truncate } from "../../src/slack/mrkdwn.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

/** Every text a block carries, with the limit that applies to it. */
function textsOf(block: KnownBlock): { text: string; max: number; what: string }[] {
  switch (block.type) {
    case "header":
      return [{ text: block.text.text, max: L.headerText, what: "header" }];
    case "section":
      return [
        ...(block.text ? [{ text: block.text.text, max: L.sectionText, what: "section text" }] : []),
        ...(block.fields ?? []).map((f) => ({ text: f.text, max: L.fieldText, what: "field" })),
      ];
    case "context":
      return block.elements.map((e) => ({
        text: "text" in e ? e.text : "",
        max: L.contextText,
        what: "context",
      }));
    case "image":
      return [
        { text: block.alt_text, max: L.imageAltText, what: "alt text" },
        ...(block.title ? [{ text: block.title.text, max: L.imageTitle, what: "image title" }] : []),
      ];
    case "actions":
      return block.elements.flatMap((e) =>
        e.type === "button"
          ? [
              { text: e.text.text, max: L.buttonText, what: "button text" },
              { text: e.value ?? "", max: L.buttonValue, what: "button value" },
              { text: e.action_id ?? "", max: L.actionId, what: "action_id" },
            ]
          : [],
      );
    default:
      return [];
  }
}

/** Every limit of the table, checked on every part; returns the violations (empty when all hold). */
function violations(parts: SlackMessagePart[]): string[] {
  const bad: string[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.text.trim() === "") bad.push(`part ${i}: no fallback text`);
    if (part.text.length > L.fallbackText) bad.push(`part ${i}: fallback text ${part.text.length}`);
    if (part.blocks.length === 0) bad.push(`part ${i}: no blocks`);
    if (part.blocks.length > L.blocksPerMessage) bad.push(`part ${i}: ${part.blocks.length} blocks`);
    const actionIds = new Set<string>();
    const blockIds = new Set<string>();
    for (const block of part.blocks) {
      if (block.block_id !== undefined) {
        if (block.block_id.length > L.blockId) bad.push(`block_id ${block.block_id.length}`);
        if (blockIds.has(block.block_id)) bad.push(`duplicate block_id ${block.block_id}`);
        blockIds.add(block.block_id);
      }
      if (block.type === "section") {
        if (!block.text && !block.fields?.length) bad.push("empty section");
        if ((block.fields?.length ?? 0) > L.sectionFields) bad.push(`${block.fields?.length} fields`);
      }
      if (block.type === "context" && block.elements.length > L.contextElements) bad.push("context elements");
      if (block.type === "actions") {
        if (block.elements.length > L.actionsElements) bad.push(`${block.elements.length} buttons`);
        for (const e of block.elements) {
          if (e.type !== "button" || e.action_id === undefined) continue;
          if (actionIds.has(e.action_id)) bad.push(`duplicate action_id ${e.action_id}`);
          actionIds.add(e.action_id);
        }
      }
      const mrkdwnTexts =
        block.type === "section"
          ? [block.text?.text ?? "", ...(block.fields ?? []).map((f) => f.text)]
          : block.type === "context"
            ? block.elements.map((e) => ("text" in e ? e.text : ""))
            : [];
      for (const t of [part.text, ...mrkdwnTexts]) {
        if (/[<>]|&(?!amp;|lt;|gt;)/.test(t)) bad.push(`unescaped mrkdwn: ${t.slice(0, 60)}`);
      }
      for (const t of textsOf(block)) {
        if (t.text.length > t.max) bad.push(`${t.what}: ${t.text.length} > ${t.max}`);
        if (t.text.trim() === "" && t.what !== "button value") bad.push(`${t.what}: empty`);
      }
    }
  }
  return bad;
}

const allText = (value: unknown) => JSON.stringify(value);

let rt: TestRuntime;
const asker: Asker = {
  workspace: "local",
  platform: "slack",
  channel: "C0CS",
  user: "U0DANA",
  isAdmin: true,
  locale: "en-US",
};
const answer = async (text: string) => (await ask(rt, asker, text)).message;

beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt.close();
});

describe("every message the app produces renders within Slack's limits", () => {
  const questions = [
    ["answer", "activation 28d"],
    ["board", "board"],
    ["stage", "stage activation"],
    ["breakdown", "churn by owner"],
    ["digest", "digest"],
    ["help", "help"],
    ["help for a command", "help subscribe"],
    ["sources", "sources"],
    ["list", "list"],
    ["unknown word", "activashun"],
  ] as const;

  for (const [kind, question] of questions) {
    it(`${kind} (${question})`, async () => {
      const message = await answer(question);
      const parts = toBlockKit(message);
      expect(violations(parts)).toEqual([]);
      expect(parts[0]?.text).toBe(toMrkdwn(message.summary.replace(/\*\*([\s\S]+?)\*\*/g, "$1")));
      // Nothing of the message vanishes: each model block yields at least one Slack block.
      expect(parts.flatMap((p) => p.blocks).length).toBeGreaterThanOrEqual(message.blocks.length);
    });
  }

  it("an answer shows its header, KPI fields with status and delta arrow, and its context line", async () => {
    const message = await answer("activation 28d");
    const [part] = toBlockKit(message);
    const blocks = part?.blocks ?? [];
    expect(blocks[0]?.type).toBe("header");
    const header = message.blocks.find((b) => b.type === "header");
    expect(blocks[0]?.type === "header" && blocks[0].text.text).toBe(
      header?.type === "header" && header.text,
    );
    expect(blocks.some((b) => b.type === "context")).toBe(true);
    const board = await answer("board");
    const rows = board.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []));
    const fields = toBlockKit(board)
      .flatMap((p) => p.blocks)
      .flatMap((b) => (b.type === "section" ? (b.fields ?? []) : []))
      .map((f) => f.text);
    expect(rows.length).toBeGreaterThan(3);
    const withDelta = rows.find((r) => r.delta !== null && !r.delta.startsWith("no change"));
    expect(withDelta).toBeDefined();
    expect(fields.join("\n")).toMatch(/[↑↓] [+−]/);
    // Each row is two fields: status symbol with the name, then the value.
    expect(fields.length).toBeGreaterThanOrEqual(rows.length * 2);
    const first = rows[0] as KpiRow;
    expect(fields.some((f) => f.includes(`*${toMrkdwn(first.name)}*`))).toBe(true);
  });

  it("an error reply keeps its code as context", () => {
    const message = renderErrorMessage(
      new ClgError("clg_unknown_kpi", "I don't know <activashun>.", { suggestions: ["activation"] }),
    );
    const parts = toBlockKit(message);
    expect(violations(parts)).toEqual([]);
    expect(allText(parts)).toContain("I don't know &lt;activashun&gt;");
    expect(allText(parts)).toContain("error code: clg_unknown_kpi");
  });

  it("an alert from the alerting core renders within the limits", async () => {
    await answer("subscribe alerts all");
    await answer("threshold new_visitors red < 60000 7d");
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
    const [delivery] = await listDeliveries(rt.db, "local", { channel: "C0CS" });
    if (delivery === undefined) throw new Error("the threshold edit queued no alert");
    const message = (delivery.payload as { message: Message }).message;
    expect(message.summary).toMatch(/New visitors/);
    const parts = toBlockKit(message);
    expect(parts).toHaveLength(1);
    expect(violations(parts)).toEqual([]);
    expect(allText(parts)).toContain("New visitors");
    const buttons = parts[0]?.blocks.flatMap((b) => (b.type === "actions" ? b.elements : [])) ?? [];
    expect(buttons.map((b) => (b.type === "button" ? b.value : ""))).toContain("snooze new_visitors 1d");
  });

  it("the alert's thread reply and the edit of the original render within the limits", async () => {
    await answer("snooze new_visitors 1d");
    await answer("threshold new_visitors red < 1000 7d");
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
    await evaluateWorkspace(rt, await loadWorkspaceCatalog(rt.db, "local"));
    const deliveries = await listDeliveries(rt.db, "local", { channel: "C0CS" });
    expect(deliveries.map((d) => d.kind)).toEqual(expect.arrayContaining(["post", "update"]));
    for (const d of deliveries) {
      const parts = toBlockKit((d.payload as { message: Message }).message);
      expect(violations(parts), d.kind).toEqual([]);
    }
    const update = deliveries.find((d) => d.kind === "update");
    if (update === undefined) throw new Error("the snooze queued no edit of the alert");
    expect(allText(toBlockKit((update.payload as { message: Message }).message))).toContain(
      "snoozed by U0DANA",
    );
  });
});

describe("charts", () => {
  it("an uploaded chart is an image block with its Slack file id; without one, its alt text as text", async () => {
    const message = await answer("activation 28d");
    const chart = message.blocks.find((b) => b.type === "chart");
    expect(chart?.type).toBe("chart");
    if (chart?.type !== "chart") return;
    const withFile = toBlockKit(message, { images: new Map([[chartIdOf(chart.chart), "F0CHART1"]]) });
    const image = withFile[0]?.blocks.find((b) => b.type === "image");
    expect(image).toMatchObject({ type: "image", slack_file: { id: "F0CHART1" } });
    expect(image?.type === "image" && image.alt_text).toBe(chart.chart.altText);
    const without = toBlockKit(message);
    expect(without[0]?.blocks.some((b) => b.type === "image")).toBe(false);
    expect(allText(without)).toContain(toMrkdwn(chart.chart.altText).slice(0, 40));
  });

  it("the chart id is the one the chart store gives the rendered chart", async () => {
    const { charts, message } = await ask(rt, asker, "activation 28d");
    const refs = message.blocks.flatMap((b) => (b.type === "chart" ? [b.chart] : []));
    expect(refs.map(chartIdOf)).toEqual(charts.map((c) => c.id));
  });
});

describe("buttons", () => {
  it("carry the grammar command as value and a unique action_id of ours", async () => {
    const message = await answer("help");
    const buttons = message.blocks.flatMap((b) => (b.type === "actions" ? b.buttons : []));
    expect(buttons.length).toBeGreaterThan(0);
    const elements = toBlockKit(message)
      .flatMap((p) => p.blocks)
      .flatMap((b) => (b.type === "actions" ? b.elements : []));
    expect(elements.map((e) => (e.type === "button" ? e.value : null))).toEqual(
      buttons.map((b) => b.command),
    );
    expect(elements.every((e) => e.type === "button" && isClgActionId(e.action_id ?? ""))).toBe(true);
  });

  it("more than 25 buttons become several actions blocks; a command too long for a value stays as text", () => {
    const buttons = Array.from({ length: 60 }, (_, i) => ({
      label: `Button ${i} ${"x".repeat(100)}`,
      command: `kpi ${i}`,
    }));
    const long = { label: "Long", command: `activation ${"y".repeat(2_100)}` };
    const parts = toBlockKit({ summary: "many", blocks: [{ type: "actions", buttons: [...buttons, long] }] });
    expect(violations(parts)).toEqual([]);
    const actions = parts.flatMap((p) => p.blocks).filter((b) => b.type === "actions");
    expect(actions).toHaveLength(3);
    const contexts = parts.flatMap((p) => p.blocks).filter((b) => b.type === "context");
    expect(contexts.length).toBe(1);
    expect(allText(contexts)).toContain('"Long: activation"');
    expect((allText(contexts).match(/yyy+/g) ?? []).join("")).toHaveLength(2_100);
  });
});

describe("hostile and oversized input", () => {
  const row = (i: number, over: Partial<KpiRow> = {}): KpiRow => ({
    slug: `kpi_${i}`,
    name: `KPI ${i}`,
    stage: "activation",
    window: "28d",
    value: i,
    formatted: `${i}%`,
    status: (["green", "amber", "red", "no_data", "error"] as const)[i % 5] ?? "green",
    rated: true,
    delta: i % 2 ? `+${i}.0 pp vs previous 28d` : `−${i}.0% vs previous 28d`,
    deltaGood: i % 2 === 1,
    target: i % 3 ? null : "on pace for 60% this quarter",
    note: null,
    ...over,
  });

  it("a 200-KPI digest is split on row boundaries into messages of at most 50 blocks", () => {
    const rows = Array.from({ length: 200 }, (_, i) => row(i));
    const message: Message = {
      summary: "Weekly digest: 200 KPIs",
      blocks: [
        { type: "header", text: "Weekly digest" },
        ...Array.from({ length: 40 }, (_, i) => ({ type: "text" as const, text: `Paragraph ${i}` })),
        { type: "kpis", rows },
        { type: "divider" },
        { type: "context", text: "28 days to Sunday" },
        { type: "actions", buttons: [{ label: "7d", command: "digest 7d" }] },
      ],
    };
    const parts = toBlockKit(message);
    expect(parts.length).toBeGreaterThan(1);
    expect(violations(parts)).toEqual([]);
    // Every row is there exactly once, with both of its fields in one section.
    const fields = parts
      .flatMap((p) => p.blocks)
      .flatMap((b) => (b.type === "section" ? (b.fields ?? []) : []));
    expect(fields).toHaveLength(400);
    for (const [i, r] of rows.entries()) expect(fields[i * 2]?.text).toContain(`*${r.name}*`);
    for (const [i, p] of parts.entries()) {
      expect(p.text).toContain("Weekly digest: 200 KPIs");
      expect(p.text).toContain(`(${i + 1} of ${parts.length})`);
      if (i > 0) expect(p.blocks[0]).toMatchObject({ type: "context" });
      // A part never ends on a header or divider that introduces the next part.
      expect(["header", "divider"]).not.toContain(p.blocks[p.blocks.length - 1]?.type);
    }
    expect(parts[parts.length - 1]?.blocks.at(-1)?.type).toBe("actions");
  });

  it("a view (the App Home) takes up to 100 blocks a part", () => {
    const rows = Array.from({ length: 200 }, (_, i) => row(i));
    const parts = toBlockKit({ summary: "Board", blocks: [{ type: "kpis", rows }] }, { surface: "view" });
    expect(parts.map((p) => p.blocks.length)).toEqual([40]);
    const long = Array.from({ length: 150 }, (_, i) => ({ type: "text" as const, text: `line ${i}` }));
    const split = toBlockKit({ summary: "Long", blocks: long }, { surface: "view" });
    expect(split.map((p) => p.blocks.length)).toEqual([100, 51]);
  });

  it("5,000-character names, headers, texts and notes are cut or split, never past a limit", () => {
    const huge = "Ω".repeat(5_000);
    const words = Array.from({ length: 1_500 }, (_, i) => `word${i}`).join(" ");
    const message: Message = {
      summary: huge,
      blocks: [
        { type: "header", text: words },
        { type: "text", text: words },
        { type: "text", text: huge },
        {
          type: "kpis",
          rows: [row(1, { name: huge, note: huge, target: huge, delta: huge, formatted: huge })],
        },
        { type: "fields", fields: Array.from({ length: 23 }, () => ({ label: huge, value: huge })) },
        { type: "context", text: `${words} ${words} ${words}` },
        { type: "actions", buttons: [{ label: huge, command: "board" }] },
      ],
    };
    const parts = toBlockKit(message);
    expect(violations(parts)).toEqual([]);
    // A header too long for Slack keeps its words in a section under it.
    const sectionTexts = parts
      .flatMap((p) => p.blocks)
      .flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : []));
    expect(sectionTexts.join(" ")).toContain("word1499");
  });

  it("mentions and links in model text are escaped, bold is mapped", () => {
    const evil = "<!channel> <@U1> <https://evil.example|click> & **bold**";
    const message: Message = {
      summary: `Alert <!here> ${evil}`,
      blocks: [
        { type: "header", text: evil },
        { type: "text", text: evil },
        { type: "kpis", rows: [row(1, { name: "<!channel>", note: "<@U1>" })] },
        { type: "fields", fields: [{ label: "<!everyone>", value: evil }] },
        { type: "context", text: evil },
        { type: "actions", buttons: [{ label: "<!channel>", command: "board" }] },
      ],
    };
    const parts = toBlockKit(message);
    expect(violations(parts)).toEqual([]);
    // Only the header and button labels are plain_text (not parsed for mentions); all mrkdwn is escaped.
    const mrkdwnTexts = parts.flatMap((p) => [
      p.text,
      ...p.blocks.flatMap((b) =>
        b.type === "section"
          ? [b.text?.text ?? "", ...(b.fields ?? []).map((f) => f.text)]
          : b.type === "context"
            ? b.elements.map((e) => ("text" in e ? e.text : ""))
            : [],
      ),
    ]);
    for (const t of mrkdwnTexts) {
      expect(t).not.toMatch(/<[!@#]/);
      expect(t).not.toMatch(/<https?:/);
      expect(t).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
    expect(mrkdwnTexts.join("\n")).toContain("&lt;!channel&gt; &lt;@U1&gt;");
    expect(mrkdwnTexts.join("\n")).toContain("&amp; *bold*");
    expect(mrkdwnTexts.join("\n")).not.toContain("**");
  });

  it("any message, however hostile, renders within every limit (property)", () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 300 }),
      fc.constantFrom(
        "<!channel>",
        "&amp;",
        "**bold**",
        "*",
        "&",
        "<@U1>",
        "😀".repeat(900),
        "x".repeat(5_000),
      ),
    );
    const kpiRow = fc.record({
      name: text,
      formatted: text,
      delta: fc.option(text),
      target: fc.option(text),
      note: fc.option(text),
      status: fc.constantFrom("green", "amber", "red", "no_data", "error"),
      rated: fc.boolean(),
    });
    const block = fc.oneof(
      fc.record({ type: fc.constant("header" as const), text }),
      fc.record({ type: fc.constant("text" as const), text }),
      fc.record({ type: fc.constant("context" as const), text }),
      fc.record({ type: fc.constant("divider" as const) }),
      fc.record({ type: fc.constant("kpis" as const), rows: fc.array(kpiRow, { maxLength: 30 }) }),
      fc.record({
        type: fc.constant("fields" as const),
        fields: fc.array(fc.record({ label: text, value: text }), { maxLength: 25 }),
      }),
      fc.record({
        type: fc.constant("actions" as const),
        buttons: fc.array(fc.record({ label: text, command: text }), { maxLength: 30 }),
      }),
    );
    fc.assert(
      fc.property(text, fc.array(block, { maxLength: 80 }), (summary, blocks) => {
        const message = {
          summary,
          blocks: blocks.map((b) =>
            b.type === "kpis" ? { ...b, rows: b.rows.map((r, i) => ({ ...row(i), ...r })) } : b,
          ),
        } as Message;
        expect(violations(toBlockKit(message))).toEqual([]);
        expect(
          violations(toBlockKit(message, { surface: "view" })).filter((v) => !/ blocks$/.test(v)),
        ).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("an empty message still says its summary", () => {
    const parts = toBlockKit({ summary: "Nothing to report", blocks: [] });
    expect(parts).toEqual([
      {
        text: "Nothing to report",
        blocks: [{ type: "section", text: { type: "mrkdwn", text: "Nothing to report" } }],
      },
    ]);
  });

  it("cutting never splits an escape or a surrogate pair", () => {
    expect(truncate("ab&amp;cd", 5)).toBe("ab…");
    expect(truncate("a😀b", 3)).toBe("a…");
    for (const piece of splitText(`${"&amp;".repeat(900)}`, 3_000)) {
      expect(piece.length).toBeLessThanOrEqual(3_000);
      expect(piece).toMatch(/^(&amp;)+$/);
    }
  });
});

describe("boundary", () => {
  it("the renderer imports no SDK at run time and no application, database or adapter code", () => {
    const dir = resolve(import.meta.dirname, "../../src/slack");
    const files = readdirSync(dir).filter((f) => /^(block-kit.*|mrkdwn)\.ts$/.test(f));
    expect(files).toContain("block-kit.ts");
    const allowed =
      /^\.\.?\/(block-kit[\w-]*|mrkdwn)\.ts$|^\.\.\/(messages|kpi)\/[\w-]+\.ts$|^\.\.\/charts\/chart-(hash|request)\.ts$/;
    for (const file of files) {
      const text = readFileSync(join(dir, file), "utf8");
      for (const m of text.matchAll(/^(import|export)( type)?\b[^;]*?from\s+["']([^"']+)["']/gms)) {
        const [, , typeOnly, spec] = m;
        if (spec?.startsWith("@slack/"))
          expect(typeOnly, `${file} imports ${spec} at run time`).toBe(" type");
        else expect(spec, `${file} imports ${spec}`).toMatch(allowed);
      }
    }
  });
});
