import { distance } from "fastest-levenshtein";
import { listSegments } from "../../db/samples-repository.ts";
import { ClgError } from "../../errors.ts";
import { type KpiDefinition, parseSegmentKey } from "../../kpi/index.ts";
import type { AnswerDeps } from "./answer-context.ts";

const MAX_SUGGESTIONS = 3;

/**
 * The stored values closest to what was typed: those the typed text starts (or starts a word of),
 * case-insensitively, then the nearest by edit distance. "Dana" finds "Dana Ruiz".
 */
export function closestValues(typed: string, values: readonly string[]): string[] {
  const t = typed.toLowerCase();
  const starts = values.filter((v) => {
    const l = v.toLowerCase();
    return l.startsWith(t) || l.split(/\s+/).some((w) => w.startsWith(t)) || l.includes(t);
  });
  if (starts.length > 0) return starts.slice(0, MAX_SUGGESTIONS);
  return values
    .map((v) => ({ v, d: distance(t, v.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.ceil(t.length / 3)))
    .sort((a, b) => a.d - b.d || a.v.localeCompare(b.v))
    .slice(0, MAX_SUGGESTIONS)
    .map((x) => x.v);
}

/**
 * Refuses a segment no KPI in `defs` has data for, naming the closest values that do, each as the
 * command to type instead (`suggest(segment)`). KPIs that cannot be split by the segment's dimension
 * are left to their own error.
 */
export async function mustHaveSegment(
  deps: AnswerDeps,
  defs: readonly KpiDefinition[],
  segment: string,
  suggest: (segment: string) => string,
): Promise<void> {
  const key = parseSegmentKey(segment);
  if (!key) return;
  const split = defs.filter((d) => d.dimensions.includes(key.dimension) && d.aggregation.kind !== "formula");
  if (split.length === 0) return;
  const prefix = `${key.dimension}:`;
  const stored = new Set<string>();
  for (const def of split)
    for (const s of await listSegments(deps.db, deps.catalog.workspace, def.slug))
      if (s.startsWith(prefix)) stored.add(s.slice(prefix.length));
  if (stored.has(key.value)) return;
  const close = closestValues(key.value, [...stored].sort());
  const what = split.length === 1 ? (split[0] as KpiDefinition).name : "these KPIs";
  const slug = split.length === 1 ? (split[0] as KpiDefinition).slug : "<kpi>";
  throw new ClgError("clg_not_found", `No data for ${what} for ${key.dimension} "${key.value}".`, {
    hint:
      close.length > 0
        ? `The closest ${key.dimension}${close.length === 1 ? " is" : "s are"} ${close.map((v) => `"${v}"`).join(", ")}. Type \`${slug} by ${key.dimension}\` to see them all.`
        : `Type \`${slug} by ${key.dimension}\` to see the ${key.dimension}s there are.`,
    suggestions: close.map((v) => suggest(`${prefix}${v}`)),
  });
}
