import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeDigest } from "../../src/app/answers/digest-answer.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import type { Message } from "../../src/messages/message.ts";
import { renderText } from "../../src/messages/render-text.ts";
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

  it("says why a status is what it is in the row's number format, not in raw numbers", async () => {
    const why = (m: Message) =>
      m.blocks
        .flatMap((b) => (b.type === "fields" ? b.fields : []))
        .find((f) => f.label === "Why this status")?.value;
    expect(why(await ask("activation 28d"))).toBe("45.5% is below 50% (red)");
    expect(why(await ask("new_visitors 7d"))).toBe("13.6k is not below 8k or below 9.5k (green)");
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

  it("the digest never hides a red or amber KPI: a count line first, then each with its worst segment", async () => {
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const statuses = new Map<string, string>();
    for (const def of catalog.kpis) {
      const [row] = rows(await ask(def.slug));
      if (row) statuses.set(def.name, row.rated || row.status !== "green" ? row.status : "none");
    }
    const flagged = [...statuses].filter(([, s]) => s === "red" || s === "amber").map(([name]) => name);
    expect(flagged.length).toBeGreaterThanOrEqual(3);

    const m = await ask("digest");
    const count = (s: string) => [...statuses.values()].filter((x) => x === s).length;
    const first = m.blocks[1];
    expect(first?.type === "text" && first.text).toMatch(
      new RegExp(
        `^\\*\\*${count("red")} red · ${count("amber")} amber · ${count("green")} green · ${count("none")} no status; `,
      ),
    );
    const attention = m.blocks.find((b) => b.type === "text" && b.text.startsWith("**Needs attention**"));
    const lines = attention?.type === "text" ? attention.text.split("\n").slice(1) : [];
    for (const name of flagged)
      expect(
        lines.some((l) => l.includes(`**${name}**`)),
        name,
      ).toBe(true);
    expect(lines).toHaveLength(flagged.length + count("no_data") + count("error"));
    const churn = lines.find((l) => l.includes("Customer churn rate"));
    expect(churn).toContain("worst owner Marcus Webb");
    // The six stages, without notes: an anomaly is told once, under early warnings.
    expect(rows(m).map((r) => r.stage)).toEqual([
      "problem",
      "interest",
      "activation",
      "value_realization",
      "continued_value",
      "value_growth",
    ]);
    const text = renderText(m);
    expect(text.match(/unusually low on Sunday 2026-11-22: 417/g)).toHaveLength(1);
  });

  it("a KPI without thresholds for the window has no status, not a green dot", async () => {
    const m = await ask("arr");
    expect(rows(m)[0]).toMatchObject({ slug: "arr", status: "green", rated: false });
    const text = renderText(m);
    expect(text).toContain("– no status  Annual recurring revenue");
    expect(text).not.toContain("●");
    expect(renderText(await ask("list customer success"))).toMatch(
      /– no status · arr Annual recurring revenue/,
    );
    expect(rows(await ask("activation"))[0]?.rated).toBe(true);
  });

  it("targets speak the KPI's direction and period", async () => {
    // Churn: lower is better, so being over the target is "above", not "short".
    const churn = rows(await ask("churn vs target"))[0];
    expect(churn?.target).toMatch(/^month to date \d+\.\d+%: \d+\.\d pp above the month target of 1\.5%$/);
    // A quarter to date is never compared with the monthly target; churn has no quarter target.
    expect(rows(await ask("churn quarter"))[0]?.target).toBeNull();
    // The row and the per-period field say the same thing, never "short" beside "at target".
    const nps = await ask("nps 90d vs target");
    const field = nps.blocks
      .flatMap((b) => (b.type === "fields" ? b.fields : []))
      .find((f) => f.label === "This quarter");
    expect(field?.value).toBe(rows(nps)[0]?.target);
    expect(textOf(nps)).not.toMatch(/short[\s\S]*at the quarter target|at the quarter target[\s\S]*short/);
  });

  it("a window the KPI does not define is refused with its windows, where thresholds are set per window", async () => {
    const m = await ask("churn week");
    expect(m.tone).toBe("error");
    expect(m.summary).toContain("Customer churn rate is defined for 28d, month, quarter, not week");
    expect(textOf(m)).toContain("clg_bad_window");
    expect((await ask("churn month")).tone).not.toBe("error");
  });

  it("a forecast never contradicts the data: activation quarter says nothing about falling below 50%", async () => {
    expect(rows(await ask("activation 7d"))[0]?.value).toBeLessThan(50);
    expect(textOf(await ask("activation quarter"))).not.toContain("will fall below 50%");
  });

  it("filters are never silently ignored", async () => {
    const both = await ask("churn by owner for plan:pro");
    expect(both.tone).toBe("error");
    expect(both.summary).toMatch(/"by owner" cannot be combined with "for plan:pro"/);
    const target = await ask("churn 28d by plan vs target");
    expect(target.tone).toBe("error");
    expect(target.summary).toMatch(/"vs target" cannot be combined with by plan/);
    const dana = await ask("churn for owner:Dana");
    expect(dana.tone).toBe("error");
    expect(dana.summary).toContain('Did you mean "churn for owner:"Dana Ruiz""?');
    expect(renderText(dana)).toContain('The closest owner is "Dana Ruiz"');
  });

  it("subscribing alerts for a segment without data is refused with the same suggestion, and nothing is written", async () => {
    const { listSubscriptions } = await import("../../src/db/subscriptions-repository.ts");
    const before = (await listSubscriptions(rt.db, "local")).length;
    const m = await ask("subscribe alerts churn for owner:Dana");
    expect(m.tone).toBe("error");
    expect(m.summary).toContain("subscribe alerts kpi churn for owner:");
    expect(textOf(m)).toContain("Dana Ruiz");
    expect((await listSubscriptions(rt.db, "local")).length).toBe(before);
  });

  it("numbers read consistently: one compact format per message, labels that do not contradict the value", async () => {
    const arr = await ask("arr");
    const row = rows(arr)[0];
    expect(row?.formatted).toMatch(/^\$1\.\d\dM$/);
    expect(Math.abs((row?.value as number) / 1e6 - Number(row?.formatted.slice(1, -1)))).toBeLessThan(0.005);
    const mrr = renderText(await ask("mrr vs target"));
    expect(mrr).toContain("target of $175k");
    expect(mrr).not.toMatch(/\d[kK] USD|USD/);
    expect(textOf(await ask("board"))).not.toMatch(/−0(?![.,]\d*[1-9])/);
  });

  it("help on a formula KPI shows what the named metric computes; no change carries no good/bad colour", async () => {
    expect(JSON.stringify((await ask("help nrr")).blocks)).toContain(
      "nrr(start, expansion, contraction, churned) = (start + expansion − contraction − churned) / start × 100",
    );
    const same = rows(await ask("weekly_sharers 7d"))[0];
    expect(same?.delta).toMatch(/^no change/);
    expect(same?.deltaGood).toBeNull();
  });

  it("a digest is short when nothing changed", async () => {
    const catalog = await loadWorkspaceCatalog(rt.db, "local");
    const m = await composeDigest({ ...rt, catalog }, "en-US", { kpi: "dashboard_built" });
    expect(m.summary).toBe("CLG digest: 1 green");
    expect(renderText(m)).toContain("Nothing changed this week.");
    expect(m.blocks.filter((b) => b.type === "text")).toHaveLength(2);
  });
});
