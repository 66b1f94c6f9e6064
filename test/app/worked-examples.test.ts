import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerText } from "../../src/app/answer-command.ts";
import { loadWorkspaceCatalog } from "../../src/app/workspace-catalog.ts";
import { applyCatalog } from "../../src/catalog/apply-catalog.ts";
import { parseCatalogText } from "../../src/catalog/parse-catalog.ts";
import { upsertSamples } from "../../src/db/samples-repository.ts";
import { addDays, type KpiDefinitionInput, type Sample } from "../../src/kpi/index.ts";
import type { Message } from "../../src/messages/message.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";

/*
 * The public worked examples, run through the shipped catalog's definitions, the database and the
 * answer path. The clock is TEST_NOW, so the last complete day is 2026-11-22 and a 28d window opens on
 * 2026-10-26: each example puts its movement on the window's first day, where a start() that read that
 * day instead of the day before would count it twice.
 */
const AS_OF = "2026-11-22";
const FIRST_28D = addDays(AS_OF, -27);
const BEFORE_28D = addDays(FIRST_28D, -1);

const shipped = parseCatalogText(
  readFileSync(new URL("../../catalog/default.yaml", import.meta.url), "utf8"),
  "default.yaml",
);
const kpi = (slug: string) => {
  const def = shipped.kpis.find((k) => k.slug === slug);
  if (!def) throw new Error(`the default catalog has no ${slug}`);
  return def;
};
/** Gross MRR churn, as ChartMogul defines it; not in the default catalog, so declared here. */
const mrrChurn: KpiDefinitionInput = {
  slug: "mrr_churn",
  name: "Gross MRR churn",
  stage: "customer_success",
  unit: "percent",
  direction: "down",
  aggregation: { kind: "formula", expression: "mrr_churn(start(mrr), churned_mrr, contraction_mrr)" },
  windows: ["1d", "28d"],
  format: { decimals: 2 },
};
const SLUGS = [
  "customers",
  "mrr",
  "expansion_mrr",
  "contraction_mrr",
  "churned_mrr",
  "nrr",
  "grr",
  "churn",
  "arpu",
  "gross_margin",
  "clv",
  "nps",
  "csat",
  "ces",
];

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime({ bootstrap: false });
});
afterAll(async () => {
  await rt.close();
});

const value = (kpi: string, day: string, v: number): Sample => ({
  kpi,
  day,
  segment: "",
  value: v,
  num: null,
  den: null,
  dist: null,
});
const rate = (kpi: string, day: string, num: number, den: number): Sample => ({
  kpi,
  day,
  segment: "",
  value: null,
  num,
  den,
  dist: null,
});
const dist = (kpi: string, day: string, d: Record<string, number>): Sample => ({
  kpi,
  day,
  segment: "",
  value: null,
  num: null,
  den: null,
  dist: d,
});

async function workspaceWith(workspace: string, samples: Sample[]): Promise<void> {
  const catalog = parseCatalogText(
    JSON.stringify({ ...shipped, kpis: [...SLUGS.map(kpi), mrrChurn], subscriptions: [] }),
    "examples.json",
  );
  await applyCatalog(rt.db, { workspace, catalog, actor: "test" });
  await upsertSamples(rt.db, workspace, samples);
}

async function answerValue(workspace: string, text: string): Promise<number | null | undefined> {
  const catalog = await loadWorkspaceCatalog(rt.db, workspace);
  const asker = {
    workspace,
    platform: "local" as const,
    channel: "general",
    user: "t",
    isAdmin: true,
    locale: "en-US",
  };
  const { message } = await answerText({ ...rt, catalog }, asker, text);
  const rows = (m: Message) => m.blocks.flatMap((b) => (b.type === "kpis" ? b.rows : []));
  return rows(message)[0]?.value;
}

describe("MRR movements: ChartMogul's standard (B2B) example, movement on the window's first day", () => {
  // $100 MRR at the start; during the period $10 churned, $10 contraction and $10 expansion.
  beforeAll(async () => {
    await workspaceWith("chartmogul", [
      value("mrr", BEFORE_28D, 100),
      value("mrr", FIRST_28D, 90),
      value("mrr", AS_OF, 90),
      value("expansion_mrr", FIRST_28D, 10),
      value("contraction_mrr", FIRST_28D, 10),
      value("churned_mrr", FIRST_28D, 10),
    ]);
  });

  it("gross MRR churn is (10 + 10) / 100 = 20%", async () => {
    expect(await answerValue("chartmogul", "mrr_churn 28d")).toBeCloseTo(20, 9);
  });
  it("NRR is (100 + 10 - 10 - 10) / 100 = 90% (ChartMogul's net MRR churn of 10%), not 88.9%", async () => {
    expect(await answerValue("chartmogul", "nrr 28d")).toBeCloseTo(90, 9);
  });
  it("GRR is (100 - 10 - 10) / 100 = 80%, not 77.8%", async () => {
    expect(await answerValue("chartmogul", "grr 28d")).toBeCloseTo(80, 9);
  });
});

describe("ChartMogul's daily (Shopify, B2C) example", () => {
  it("$100 at the start of the day, $95 at its end: gross MRR churn 5%, not 5.26%", async () => {
    await workspaceWith("chartmogul-daily", [
      value("mrr", addDays(AS_OF, -1), 100),
      value("mrr", AS_OF, 95),
      value("churned_mrr", AS_OF, 5),
      value("contraction_mrr", AS_OF, 0),
    ]);
    expect(await answerValue("chartmogul-daily", "mrr_churn 1d")).toBeCloseTo(5, 9);
  });
});

describe("Baremetrics NRR: 100% - (churned - expansion) / starting MRR 30 days ago", () => {
  it("$10,000 starting MRR, $500 churned and $200 expansion on the first day: 97%", async () => {
    await workspaceWith("baremetrics", [
      value("mrr", BEFORE_28D, 10_000),
      value("mrr", FIRST_28D, 9_700),
      value("expansion_mrr", FIRST_28D, 200),
      value("contraction_mrr", FIRST_28D, 0),
      value("churned_mrr", FIRST_28D, 500),
    ]);
    expect(await answerValue("baremetrics", "nrr 28d")).toBeCloseTo(97, 9);
    expect(await answerValue("baremetrics", "grr 28d")).toBeCloseTo(95, 9);
  });
});

describe("customer churn, CLV (ProfitWell: ARPU x margin / churn), surveys", () => {
  beforeAll(async () => {
    const days = Array.from({ length: 28 }, (_, i) => addDays(FIRST_28D, i));
    await workspaceWith("profitwell", [
      // 500 customers at the start of the window, 25 lost on its first day: 25 / 500 = 5%.
      ...days.map((d, i) => rate("churn", d, i === 0 ? 25 : 0, i === 0 ? 500 : 475)),
      value("customers", AS_OF, 100),
      value("mrr", AS_OF, 10_000),
      value("gross_margin", AS_OF, 80),
      // Delighted / Bain NPS: answers 10,10,9,9,9,8,7,6,3,0 -> (5 promoters - 3 detractors) / 10 = 20.
      dist("nps", FIRST_28D, { "10": 2, "9": 3, "8": 1, "7": 1, "6": 1, "3": 1, "0": 1 }),
      // HubSpot CSAT: 4s and 5s / all answers: (90 + 50) / 200 = 70%.
      dist("csat", FIRST_28D, { "5": 90, "4": 50, "3": 30, "2": 20, "1": 10 }),
      // Gartner CES 2.0 on 1-7: (7x4 + 6x3 + 5x2 + 2x1) / 10 = 5.8.
      dist("ces", FIRST_28D, { "7": 4, "6": 3, "5": 2, "2": 1 }),
    ]);
  });

  it("customer churn: 25 lost of 500 at the start = 5%", async () => {
    expect(await answerValue("profitwell", "churn 28d")).toBeCloseTo(5, 9);
  });
  it("CLV: ARPU $100 (10,000 / 100) x 80% margin / 5% churn = $1,600", async () => {
    expect(await answerValue("profitwell", "clv 28d")).toBeCloseTo(1600, 6);
  });
  it("NPS 20, CSAT 70%, CES 5.8", async () => {
    expect(await answerValue("profitwell", "nps 28d")).toBeCloseTo(20, 9);
    expect(await answerValue("profitwell", "csat 28d")).toBeCloseTo(70, 9);
    expect(await answerValue("profitwell", "ces 28d")).toBeCloseTo(5.8, 9);
  });
});
