import type { SubscriptionFilter } from "../catalog/catalog-schema.ts";
import { type KpiDefinition, parseSegmentKey } from "../kpi/index.ts";

/** Whether a KPI is in a subscription's scope by KPI and stage (its segment is evaluated separately). */
export function inScope(def: KpiDefinition, filter: SubscriptionFilter): boolean {
  return (!filter.kpi || filter.kpi === def.slug) && (!filter.stage || filter.stage === def.stage);
}

/** Whether a KPI can be evaluated for a segment: its source splits it by the segment's dimension. */
export function splitsBy(def: KpiDefinition, segment: string): boolean {
  const dimension = parseSegmentKey(segment)?.dimension;
  return dimension !== undefined && def.dimensions.includes(dimension) && def.aggregation.kind !== "formula";
}

/** The KPIs a subscription covers, in catalog order. */
export function kpisInScope(all: readonly KpiDefinition[], filter: SubscriptionFilter): KpiDefinition[] {
  return all.filter((k) => inScope(k, filter) && (!filter.segment || splitsBy(k, filter.segment)));
}
