import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askLocal } from "../../src/local/ask-local.ts";
import type { Message } from "../../src/messages/message.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

let rt: TestRuntime;
const ask = async (text: string) =>
  (await askLocal(rt, { text, channel: "general", user: "tester" })).message;
const textOf = (m: Message) => JSON.stringify(m);
const rows = (m: Message) => m.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []));

beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt.close();
});

describe("answers on the demo data (default catalog, fixed clock)", () => {
  it("board: six journey stages, red activation, customer success, a board chart", async () => {
    const m = await ask("board");
    const r = rows(m);
    expect(r.slice(0, 6).map((x) => x.stage)).toEqual([
      "problem",
      "interest",
      "activation",
      "value_realization",
      "continued_value",
      "value_growth",
    ]);
    expect(r.find((x) => x.slug === "activation")?.status).toBe("red");
    expect(r.some((x) => x.stage === "customer_success")).toBe(true);
    expect(m.blocks.some((b) => b.type === "chart" && b.chart.request.template === "board")).toBe(true);
  });

  it("activation 28d: value under 50%, a delta in percentage points, a trend chart with bands", async () => {
    const m = await ask("activation 28d");
    const [row] = rows(m);
    expect(row?.slug).toBe("activation");
    expect(row?.window).toBe("28d");
    expect(row?.value).toBeLessThan(50);
    expect(row?.formatted).toMatch(/%$/);
    expect(row?.delta).toMatch(/pp vs previous 28d$/);
    const chart = m.blocks.find((b) => b.type === "chart");
    expect(chart?.type === "chart" && chart.chart.request.template).toBe("trend");
    if (chart?.type === "chart" && chart.chart.request.template === "trend") {
      expect(chart.chart.request.bands?.map((b) => b.status)).toEqual(["red", "amber", "green"]);
      expect(chart.chart.request.points.length).toBeGreaterThanOrEqual(28);
      expect(chart.chart.altText).toContain("Activation");
    }
  });

  it("activation vs target: pace against each target period", async () => {
    const m = await ask("activation vs target");
    const fields = m.blocks.flatMap((b) => (b.type === "fields" ? b.fields : []));
    expect(fields.some((f) => /^This (week|month|quarter)$/.test(f.label) && /target/.test(f.value))).toBe(
      true,
    );
  });

  it("churn by owner: one row per owner, the worst mover named, a breakdown chart", async () => {
    const m = await ask("churn by owner");
    const r = rows(m);
    expect(r.length).toBe(5);
    expect(r[0]?.name).toBe("Marcus Webb");
    expect(textOf(m)).toContain("Worsened most");
    expect(m.blocks.some((b) => b.type === "chart" && b.chart.request.template === "breakdown")).toBe(true);
  });

  it("nps: a score between -100 and 100 and the distribution chart", async () => {
    const m = await ask("nps");
    const [row] = rows(m);
    expect(row?.value).toBeGreaterThanOrEqual(-100);
    expect(row?.value).toBeLessThanOrEqual(100);
    expect(m.blocks.some((b) => b.type === "chart" && b.chart.request.template === "nps")).toBe(true);
  });

  it("a segment: churn for one owner", async () => {
    const m = await ask("churn for owner:Marcus Webb");
    const [row] = rows(m);
    expect(row?.name).toContain("Marcus Webb");
    expect(row?.value).toBeGreaterThan(5);
  });

  it("unknown KPI: suggests the closest names and the list command", async () => {
    const m = await ask("activaton");
    expect(m.tone).toBe("error");
    expect(m.summary).toContain('No KPI "activaton"');
    expect(m.summary).toContain('"activation"');
    expect(textOf(m)).toContain("list");
  });

  it("a KPI that cannot be split that way says which dimensions it has", async () => {
    const m = await ask("activation by owner");
    expect(m.tone).toBe("error");
    expect(textOf(m)).toMatch(/plan/);
  });

  it("list, stage, sources, help and digest answer without errors", async () => {
    for (const text of [
      "list",
      "list activation",
      "stage value growth",
      "sources",
      "help",
      "help threshold",
      "digest",
    ]) {
      const m = await ask(text);
      expect(m.tone, text).not.toBe("error");
      expect(m.blocks.length, text).toBeGreaterThan(0);
    }
  });

  it("help on a KPI explains what it measures and when it changes colour", async () => {
    const m = await ask("help first value");
    expect(m.blocks[0]).toMatchObject({ type: "header", text: "Activation rate (activation)" });
    const fields = m.blocks.flatMap((b) => (b.type === "fields" ? b.fields : []));
    expect(fields.find((f) => f.label === "Status")?.value).toContain("red below 50");
    expect((await ask("help threshold")).blocks[0]).not.toMatchObject({ text: expect.stringContaining("(") });
  });

  it("no message ever carries NaN or Infinity", async () => {
    for (const text of [
      "board",
      "digest",
      "list",
      "arr",
      "clv 28d",
      "nrr",
      "grr",
      "ces",
      "csat 7d",
      "upgrades quarter",
    ]) {
      const m = await ask(text);
      expect(textOf(m), text).not.toMatch(/NaN|Infinity/);
    }
  });

  it("a digest limited to a segment shows that segment's KPIs only", async () => {
    const { composeDigest } = await import("../../src/app/answers/digest-answer.ts");
    const { loadWorkspaceCatalog } = await import("../../src/app/workspace-catalog.ts");
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const m = await composeDigest({ ...rt, catalog }, "en-US", { segment: "plan:pro" });
    expect(m.blocks[0]).toMatchObject({ type: "header", text: expect.stringContaining("plan pro") });
    const slugs = rows(m).map((r) => r.slug);
    expect(slugs).toContain("activation");
    expect(slugs).not.toContain("new_visitors");
  });

  it("the digest names what is behind target and early warnings", async () => {
    const m = await ask("digest");
    const text = textOf(m);
    expect(text).toContain("Early warnings");
    expect(text).toContain("Behind target");
  });
});
