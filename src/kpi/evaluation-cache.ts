import type { Anomaly, DayValue } from "./anomaly.ts";

/** Work that does not depend on the window, keyed by KPI, day and series length. */
export interface EvaluationCache {
  anomalies: Map<string, Anomaly | null>;
  trendSeries: Map<string, DayValue[]>;
}

export function createEvaluationCache(): EvaluationCache {
  return { anomalies: new Map(), trendSeries: new Map() };
}

export function cached<T>(map: Map<string, T> | undefined, key: string, make: () => T): T {
  if (!map) return make();
  if (map.has(key)) return map.get(key) as T;
  const value = make();
  map.set(key, value);
  return value;
}
