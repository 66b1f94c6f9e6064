import { ClgError } from "../../errors.ts";
import type { Aggregation } from "../../kpi/definition.ts";
import type { Sample } from "../../kpi/sample.ts";
import type { RowReader } from "./read-rows.ts";

/** The columns a statement returns for each aggregation (besides `day` and an optional `segment`). */
export const COLUMNS_BY_AGGREGATION = {
  count: ["value"],
  sum: ["value"],
  latest: ["value"],
  ratio: ["numerator", "denominator"],
  mean: ["numerator", "denominator"],
  distribution: ["score", "responses"],
} as const;

type PolledKind = keyof typeof COLUMNS_BY_AGGREGATION;

const where = (day: string, segment: string) => (segment === "" ? day : `${day}, segment "${segment}"`);

function duplicate(kpi: string, key: string): ClgError {
  return new ClgError("clg_source_failed", `KPI "${kpi}": the query returned more than one row for ${key}.`, {
    hint: "Return one row per day and segment: GROUP BY the day (and segment) columns.",
  });
}

function blank(kpi: string, day: string, segment: string): Sample {
  return { kpi, day, segment, value: null, num: null, den: null, dist: null };
}

/** One sample per (day, segment) from value / numerator+denominator / score+responses rows. */
export function rowsToSamples(reader: RowReader, aggregation: Aggregation & { kind: PolledKind }): Sample[] {
  const kpi = reader.kpi.slug;
  const needed = ["day", ...COLUMNS_BY_AGGREGATION[aggregation.kind]];
  reader.require(needed, ["segment"], `a ${aggregation.kind} KPI`);
  const byKey = new Map<string, Sample>();
  for (const row of reader.result.rows) {
    const day = reader.day(row);
    const segment = reader.segment(row, day);
    const at = where(day, segment);
    const key = `${day}\u0000${segment}`;
    if (aggregation.kind !== "distribution") {
      if (byKey.has(key)) throw duplicate(kpi, at);
      const sample = blank(kpi, day, segment);
      if (aggregation.kind === "ratio" || aggregation.kind === "mean") {
        sample.num = reader.number(row, "numerator", at);
        sample.den = reader.number(row, "denominator", at, { nonNegative: true });
      } else {
        sample.value = reader.number(row, "value", at, { nonNegative: aggregation.kind === "count" });
      }
      byKey.set(key, sample);
      continue;
    }
    const score = reader.number(row, "score", at);
    const { min, max } = aggregation.scale;
    if (!Number.isInteger(score) || score < min || score > max) {
      throw new ClgError(
        "clg_source_failed",
        `KPI "${kpi}": the row for ${at} has score = ${score}, outside the KPI's scale ${min}-${max}.`,
        { hint: "Return whole-number scores within aggregation.scale, or filter the others out." },
      );
    }
    const responses = reader.number(row, "responses", `${at}, score ${score}`, { nonNegative: true });
    const sample = byKey.get(key) ?? blank(kpi, day, segment);
    const dist = sample.dist ?? {};
    if (dist[String(score)] !== undefined) throw duplicate(kpi, `${at}, score ${score}`);
    dist[String(score)] = responses;
    sample.dist = dist;
    byKey.set(key, sample);
  }
  return [...byKey.values()];
}
