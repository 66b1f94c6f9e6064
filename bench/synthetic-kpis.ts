import { addDays } from "../src/kpi/days.ts";
import { type KpiDefinition, type KpiDefinitionInput, kpiDefinitionSchema } from "../src/kpi/definition.ts";
import type { Sample } from "../src/kpi/sample.ts";

// One synthetic catalog for the in-memory and the database benches, so both describe the same work:
// every aggregation kind, six windows each, thresholds and targets.
export const DAYS = 730;
export const AS_OF = "2026-11-22";
export const TIMEZONE = "Europe/Berlin";
/** Early morning in Berlin on the day after AS_OF, so AS_OF is the last complete day. */
export const NOW = new Date("2026-11-23T06:00:00Z");
const WINDOWS = ["7d", "28d", "90d", "week", "month", "quarter"];

/** Small deterministic generator so runs are comparable. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function input(i: number): KpiDefinitionInput {
  const base = { slug: `k${i}`, name: `KPI ${i}`, stage: "activation" as const, windows: WINDOWS };
  switch (i % 7) {
    case 0:
      return {
        ...base,
        unit: "count",
        direction: "up",
        aggregation: { kind: "count" },
        thresholds: [{ status: "red", below: 600 }],
        targets: [{ period: "month", value: 3000 }],
      };
    case 1:
      return {
        ...base,
        unit: "currency",
        direction: "up",
        aggregation: { kind: "sum" },
        thresholds: [{ status: "amber", below: 20_000 }],
        targets: [{ period: "quarter", value: 12_000 }],
      };
    case 2:
      return {
        ...base,
        unit: "percent",
        direction: "up",
        aggregation: { kind: "ratio", scale: 100 },
        thresholds: [
          { status: "red", below: 30 },
          { status: "amber", below: 40 },
        ],
        targets: [{ period: "quarter", value: 45 }],
      };
    case 3:
      return {
        ...base,
        unit: "score",
        direction: "down",
        aggregation: { kind: "mean" },
        thresholds: [{ status: "red", above: 4 }],
      };
    case 4:
      return {
        ...base,
        unit: "currency",
        direction: "up",
        aggregation: { kind: "latest" },
        thresholds: [{ status: "red", below: 90_000 }],
      };
    case 5:
      return {
        ...base,
        unit: "score",
        direction: "up",
        aggregation: { kind: "distribution", scale: { min: 0, max: 10 }, statistic: "nps" },
        thresholds: [
          { status: "red", below: 0 },
          { status: "amber", below: 30 },
        ],
      };
    default:
      return {
        ...base,
        unit: "currency",
        direction: "up",
        aggregation: { kind: "formula", expression: `k${i - 2} * 12` },
        thresholds: [{ status: "red", below: 1_000_000 }],
      };
  }
}

/** `count` KPIs of every aggregation kind (one in seven is a formula over a stored KPI). */
export function syntheticKpis(count: number): KpiDefinition[] {
  return Array.from({ length: count }, (_, i) => kpiDefinitionSchema.parse(input(i)));
}

/** DAYS daily samples ending on AS_OF for one stored KPI (formula KPIs store none). */
export function samplesFor(def: KpiDefinition, rnd: () => number): Sample[] {
  const out: Sample[] = [];
  const k = def.aggregation.kind;
  if (k === "formula") return out;
  const first = addDays(AS_OF, 1 - DAYS);
  for (let d = 0; d < DAYS; d++) {
    const s: Sample = {
      kpi: def.slug,
      day: addDays(first, d),
      segment: "",
      value: null,
      num: null,
      den: null,
      dist: null,
    };
    if (k === "count" || k === "sum") s.value = Math.round(100 + 40 * rnd() + (d % 7 < 5 ? 20 : 0));
    else if (k === "latest") s.value = 80_000 + d * 30 + 500 * rnd();
    else if (k === "ratio") {
      s.den = 50 + Math.round(20 * rnd());
      s.num = Math.round(s.den * (0.3 + 0.2 * rnd()));
    } else if (k === "mean") {
      s.den = 20;
      s.num = 20 * (2 + 2 * rnd());
    } else if (k === "distribution") {
      s.dist = { "10": Math.round(10 * rnd()), "9": 5, "8": 4, "5": Math.round(6 * rnd()), "0": 1 };
    }
    out.push(s);
  }
  return out;
}
