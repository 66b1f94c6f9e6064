import { aggregatePositions, aggregateRange, type WindowValue } from "./aggregate.ts";
import { addDays, dayToNumber } from "./days.ts";
import type { KpiDefinition } from "./definition.ts";
import { evaluateFormula, parseFormula } from "./formula.ts";
import { lowerBound, type SeriesIndex } from "./series-index.ts";
import type { DayRange } from "./window.ts";

/**
 * Window values of any KPI in a catalog over any range: sample-based KPIs read their index, formula KPIs
 * are computed from the KPIs they read (each read is O(log n), so nothing is memoised and memory stays
 * flat over a whole catalog). Formulas must be acyclic (validateFormulas).
 */
export interface ValueSource {
  value(slug: string, range: DayRange): WindowValue;
  /**
   * The KPI as it stood when the range began: at the end of the day before its first day. A stock
   * (`latest`) is its last value on or before that day; a formula is computed from its inputs' starts; a
   * flow is its value on that one day.
   */
  start(slug: string, range: DayRange): number | null;
}

const NO_DATA: WindowValue = { value: null, days: 0 };

export function createValueSource(
  defs: ReadonlyMap<string, KpiDefinition>,
  indexes: ReadonlyMap<string, SeriesIndex>,
): ValueSource {
  const source: ValueSource = {
    value(slug, range) {
      const def = defs.get(slug);
      if (def?.aggregation.kind === "formula") {
        const { node } = parseFormula(def.aggregation.expression);
        const value = evaluateFormula(node, {
          value: (s) => source.value(s, range).value,
          start: (s) => source.start(s, range),
        });
        return { value, days: value === null ? 0 : 1 };
      }
      const index = def ? indexes.get(slug) : undefined;
      return def && index ? aggregateRange(def, index, range) : NO_DATA;
    },
    start(slug, range) {
      const def = defs.get(slug);
      const before = addDays(range.start, -1);
      if (def?.aggregation.kind === "formula") {
        const { node } = parseFormula(def.aggregation.expression);
        return evaluateFormula(node, {
          value: (s) => source.start(s, range),
          start: (s) => source.start(s, range),
        });
      }
      if (def?.aggregation.kind !== "latest") return source.value(slug, { start: before, end: before }).value;
      const index = indexes.get(slug);
      if (!index) return null;
      const hi = lowerBound(index.days, dayToNumber(before) + 1);
      return aggregatePositions(def.aggregation, index, 0, hi).value;
    },
  };
  return source;
}
