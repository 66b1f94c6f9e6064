import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChartRequest } from "../../src/charts/chart-request.ts";
import { askLocal } from "../../src/local/ask-local.ts";
import type { Message } from "../../src/messages/message.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

type Trend = Extract<ChartRequest, { template: "trend" }>;

let rt: TestRuntime;
const ask = async (text: string): Promise<Message> =>
  (await askLocal(rt, { text, channel: "general", user: "tester" })).message;
const trendOf = (m: Message): Trend => {
  const chart = m.blocks.find((b) => b.type === "chart" && b.chart.request.template === "trend");
  if (chart?.type !== "chart" || chart.chart.request.template !== "trend") throw new Error("no trend chart");
  return chart.chart.request;
};
const answerValue = (m: Message) => m.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []))[0]?.value;

beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt.close();
});

// the demo's last complete day is 2026-11-22
describe("trend charts show what the answer says (demo data)", () => {
  it("a last-7-days chart shows 7 days of the rolling 7-day value, and says so", async () => {
    const m = await ask("activation 7d");
    const chart = trendOf(m);
    expect(chart.points.map((p) => p.day)).toEqual([
      "2026-11-16",
      "2026-11-17",
      "2026-11-18",
      "2026-11-19",
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
    ]);
    expect(chart.title).toMatch(/last 7 days$/);
    expect(chart.caption).toBe("rolling 7-day value, last 7 days");
    expect(chart.points.at(-1)?.value).toBeCloseTo(answerValue(m) as number, 9);
    expect(chart.previous).toHaveLength(7);
  });

  it("a month-to-date chart plots the month-to-date total day by day with the month's target", async () => {
    const m = await ask("trials month");
    const chart = trendOf(m);
    expect(chart.points[0]?.day).toBe("2026-11-01");
    expect(chart.points.at(-1)?.day).toBe("2026-11-22");
    expect(chart.points).toHaveLength(22);
    // a running total since the 1st never falls, and ends on the answer's value
    const values = chart.points.map((p) => p.value as number);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
    expect(values.at(-1)).toBeCloseTo(answerValue(m) as number, 9);
    expect(chart.target).toBe(1950);
    expect(chart.targetLabel).toBe("month target 1,950");
    expect(chart.caption).toBe("month to date, day by day since Nov 1");
  });

  it("a week-to-date chart takes the week's target, never the month's", async () => {
    const chart = trendOf(await ask("trials week"));
    expect(chart.points[0]?.day).toBe("2026-11-16");
    expect(chart.target).toBe(460);
    expect(chart.targetLabel).toMatch(/^week target/);
  });

  it("a period with no target of its own draws none; a total over a rolling window has none either", async () => {
    expect(trendOf(await ask("activation month")).target).toBeNull();
    expect(trendOf(await ask("trials 28d")).target).toBeNull();
    const quarter = trendOf(await ask("activation quarter"));
    expect(quarter.target).toBe(65);
    expect(quarter.targetLabel).toMatch(/^quarter target 65(\.0)?%$/);
  });

  it("a KPI with no thresholds for the window is drawn and described without a colour of its own", async () => {
    const m = await ask("trials week");
    const chart = m.blocks.find((b) => b.type === "chart");
    if (chart?.type !== "chart") throw new Error("no chart");
    expect(trendOf(m).rated).toBe(false);
    expect(chart.chart.altText).toContain(", no status,");
    expect(chart.chart.altText).not.toContain("status green");
    const rated = await ask("trials 7d");
    const ratedChart = rated.blocks.find((b) => b.type === "chart");
    if (ratedChart?.type !== "chart") throw new Error("no chart");
    expect(ratedChart.chart.altText).toMatch(/status (green|amber|red)/);
  });

  it("the chart writes the target as the answer's row does (one format per message)", async () => {
    const m = await ask("activation 28d");
    const label = trendOf(m).targetLabel ?? "";
    const row = m.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []))[0];
    const written = /target (\S+)$/.exec(label)?.[1];
    expect(written).toBeTruthy();
    expect(row?.target).toContain(`target of ${written}`);
  });

  it("a segment's chart names its segment in the title", async () => {
    const byOwner = await ask("churn by owner");
    const owner = byOwner.blocks.flatMap((b) =>
      b.type === "chart" && b.chart.request.template === "breakdown" ? b.chart.request.bars : [],
    )[0]?.label;
    expect(owner).toBeTruthy();
    const chart = trendOf(await ask(`churn for owner:${owner}`));
    expect(chart.title).toContain(`owner ${owner}`);
    expect(trendOf(await ask("churn")).title).not.toContain("owner");
  });
});
