import { addDays } from "../../src/kpi/days.ts";
import {
  type KpiDefinition,
  type KpiDefinitionInput,
  kpiDefinitionSchema,
} from "../../src/kpi/definition.ts";
import type { Sample } from "../../src/kpi/sample.ts";

/** A parsed KPI definition with defaults, overriding what a test cares about. */
export function kpi(overrides: Partial<KpiDefinitionInput> = {}): KpiDefinition {
  return kpiDefinitionSchema.parse({
    slug: "activation_rate",
    name: "Activation rate",
    stage: "activation",
    unit: "percent",
    direction: "up",
    aggregation: { kind: "ratio", scale: 100 },
    ...overrides,
  });
}

export function sample(day: string, fields: Partial<Omit<Sample, "day">> = {}): Sample {
  return { kpi: "k", day, segment: "", value: null, num: null, den: null, dist: null, ...fields };
}

/** One value sample per day from `start`, in order. */
export function valueSeries(start: string, values: readonly (number | null)[]): Sample[] {
  return values.map((value, i) => sample(addDays(start, i), { value }));
}
