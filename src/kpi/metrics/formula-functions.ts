import { clv, grr, ltvToCac, mrrChurn, nrr } from "./revenue.ts";

/**
 * The named functions a catalog formula may call, each the one implementation of its metric:
 * `grr(start(mrr), contraction_mrr, churned_mrr)` in the catalog runs `grr` in revenue.ts.
 */
export interface FormulaFunction {
  params: readonly string[];
  fn: (...args: number[]) => number | null;
  /** The formula as docs and `help <kpi>` show it. */
  formula: string;
}

export const FORMULA_FUNCTIONS = {
  min: { params: ["a", "b"], fn: Math.min, formula: "the smaller of a and b" },
  max: { params: ["a", "b"], fn: Math.max, formula: "the larger of a and b" },
  nrr: {
    params: ["start", "expansion", "contraction", "churned"],
    fn: nrr,
    formula: "(start + expansion − contraction − churned) / start × 100",
  },
  grr: {
    params: ["start", "contraction", "churned"],
    fn: grr,
    formula: "(start − contraction − churned) / start × 100, clamped to 0..100",
  },
  mrr_churn: {
    params: ["start", "churned", "contraction"],
    fn: mrrChurn,
    formula: "(churned + contraction) / start × 100",
  },
  clv: {
    params: ["arpu", "margin_pct", "churn_pct"],
    fn: clv,
    formula: "arpu × margin_pct / churn_pct",
  },
  ltv_cac: { params: ["ltv", "cac"], fn: ltvToCac, formula: "ltv / cac" },
} as const satisfies Record<string, FormulaFunction>;

export type FormulaFunctionName = keyof typeof FORMULA_FUNCTIONS;

export function isFormulaFunction(name: string): name is FormulaFunctionName {
  return Object.hasOwn(FORMULA_FUNCTIONS, name);
}
