import jsep from "jsep";
import { ClgError } from "../errors.ts";
import { roundValue } from "./aggregate.ts";
import type { KpiDefinition } from "./definition.ts";
import {
  FORMULA_FUNCTIONS,
  type FormulaFunctionName,
  isFormulaFunction,
} from "./metrics/formula-functions.ts";

/** A checked formula tree: only what KPI formulas may use. */
export type FormulaNode =
  | { kind: "num"; value: number }
  | { kind: "ref"; slug: string }
  | { kind: "start"; slug: string }
  | { kind: "neg"; arg: FormulaNode }
  | { kind: "bin"; op: "+" | "-" | "*" | "/"; left: FormulaNode; right: FormulaNode }
  | { kind: "call"; fn: FormulaFunctionName; args: FormulaNode[] };

export interface ParsedFormula {
  node: FormulaNode;
  /** KPI slugs the formula reads, once each, in order of appearance. */
  refs: string[];
}

/**
 * How a formula gets the numbers it reads: a KPI's window value, or its value at the window's start (the
 * end of the day before the window's first day).
 */
export interface FormulaResolver {
  value(slug: string): number | null;
  start(slug: string): number | null;
}

const BINARY = new Set(["+", "-", "*", "/"]);
const cache = new Map<string, ParsedFormula>();

function bad(expression: string, problem: string): ClgError {
  return new ClgError("clg_catalog_invalid", `The formula "${expression}" ${problem}.`, {
    hint: `Formulas use KPI slugs, numbers, + - * / and parentheses, start(slug) and ${Object.entries(
      FORMULA_FUNCTIONS,
    )
      .map(([name, f]) => `${name}(${f.params.join(", ")})`)
      .join(", ")}.`,
  });
}

function convert(e: jsep.Expression, expression: string, refs: Set<string>): FormulaNode {
  switch (e.type) {
    case "Literal": {
      const v = (e as jsep.Literal).value;
      if (typeof v !== "number" || !Number.isFinite(v))
        throw bad(expression, `has ${(e as jsep.Literal).raw}, which is not a number`);
      return { kind: "num", value: v };
    }
    case "Identifier": {
      const slug = (e as jsep.Identifier).name;
      refs.add(slug);
      return { kind: "ref", slug };
    }
    case "UnaryExpression": {
      const u = e as jsep.UnaryExpression;
      if (u.operator !== "-" && u.operator !== "+")
        throw bad(expression, `uses "${u.operator}", which is not allowed`);
      const arg = convert(u.argument, expression, refs);
      return u.operator === "-" ? { kind: "neg", arg } : arg;
    }
    case "BinaryExpression": {
      const b = e as jsep.BinaryExpression;
      if (!BINARY.has(b.operator)) throw bad(expression, `uses "${b.operator}"; only + - * / are allowed`);
      const op = b.operator as "+" | "-" | "*" | "/";
      return {
        kind: "bin",
        op,
        left: convert(b.left, expression, refs),
        right: convert(b.right, expression, refs),
      };
    }
    case "CallExpression": {
      const c = e as jsep.CallExpression;
      const fn = c.callee.type === "Identifier" ? (c.callee as jsep.Identifier).name : "";
      if (fn === "start") {
        const arg = c.arguments[0];
        if (c.arguments.length !== 1 || arg?.type !== "Identifier")
          throw bad(expression, "calls start() without exactly one KPI slug");
        const slug = (arg as jsep.Identifier).name;
        refs.add(slug);
        return { kind: "start", slug };
      }
      if (isFormulaFunction(fn)) {
        const { params } = FORMULA_FUNCTIONS[fn];
        if (c.arguments.length !== params.length)
          throw bad(
            expression,
            `calls ${fn}() with ${c.arguments.length} arguments; it takes ${params.join(", ")}`,
          );
        return { kind: "call", fn, args: c.arguments.map((a) => convert(a, expression, refs)) };
      }
      throw bad(
        expression,
        `calls "${fn || "an expression"}"; only start and ${Object.keys(FORMULA_FUNCTIONS).join(", ")} are allowed`,
      );
    }
    default:
      throw bad(expression, `contains a ${e.type}, which is not allowed`);
  }
}

/** Parse and check a formula once; later calls with the same text reuse the result. Throws ClgError. */
export function parseFormula(expression: string): ParsedFormula {
  const hit = cache.get(expression);
  if (hit) return hit;
  let tree: jsep.Expression;
  try {
    tree = jsep(expression);
  } catch (e) {
    throw bad(expression, `cannot be read (${(e as Error).message})`);
  }
  const refs = new Set<string>();
  const parsed = { node: convert(tree, expression, refs), refs: [...refs] };
  cache.set(expression, parsed);
  return parsed;
}

/** Evaluate a parsed formula. Any missing input, division by zero or non-finite result gives null. */
export function evaluateFormula(node: FormulaNode, resolve: FormulaResolver): number | null {
  const v = evalNode(node, resolve);
  return v !== null && Number.isFinite(v) ? roundValue(v) : null;
}

function evalNode(n: FormulaNode, r: FormulaResolver): number | null {
  switch (n.kind) {
    case "num":
      return n.value;
    case "ref":
      return r.value(n.slug);
    case "start":
      return r.start(n.slug);
    case "neg": {
      const v = evalNode(n.arg, r);
      return v === null ? null : -v;
    }
    case "call": {
      const args: number[] = [];
      for (const a of n.args) {
        const v = evalNode(a, r);
        if (v === null) return null;
        args.push(v);
      }
      const fn = FORMULA_FUNCTIONS[n.fn].fn as (...xs: number[]) => number | null;
      return fn(...args);
    }
    case "bin": {
      const a = evalNode(n.left, r);
      const b = evalNode(n.right, r);
      if (a === null || b === null) return null;
      if (n.op === "+") return a + b;
      if (n.op === "-") return a - b;
      if (n.op === "*") return a * b;
      return b === 0 ? null : a / b;
    }
  }
}

/**
 * The formula in words for help: the expression, and what a named metric it calls computes
 * ("nrr(start(mrr), ...), where nrr = (start + expansion − contraction − churned) / start × 100").
 */
export function describeFormula(expression: string): string {
  const names = new Set<string>();
  const walk = (n: FormulaNode): void => {
    if (n.kind === "call") {
      if (n.fn !== "min" && n.fn !== "max") names.add(n.fn);
      n.args.forEach(walk);
    } else if (n.kind === "bin") {
      walk(n.left);
      walk(n.right);
    } else if (n.kind === "neg") walk(n.arg);
  };
  try {
    walk(parseFormula(expression).node);
  } catch {
    return expression;
  }
  const parts = [...names].map((n) => {
    const f = FORMULA_FUNCTIONS[n as FormulaFunctionName];
    return `${n}(${f.params.join(", ")}) = ${f.formula}`;
  });
  return parts.length === 0 ? expression : `${expression}, where ${parts.join("; ")}`;
}

/** The KPIs a definition's formula reads (empty for non-formula KPIs or an unreadable formula). */
export function formulaRefs(def: Pick<KpiDefinition, "aggregation">): string[] {
  if (def.aggregation.kind !== "formula") return [];
  try {
    return parseFormula(def.aggregation.expression).refs;
  } catch {
    // An unreadable formula reads nothing here; validateFormulas reports it with its catalog path.
    return [];
  }
}

export { evaluationOrder, validateFormulas } from "./formula-graph.ts";
