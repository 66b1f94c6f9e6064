import { ClgError } from "../errors.ts";
import { closest, didYouMean, quotedList } from "./suggest.ts";
import { normalizePhrase } from "./tokenize.ts";

/** Dimensions are slugs in the catalog: "Account Owner" and "account-owner" both mean account_owner. */
export function dimensionSlug(text: string): string {
  return normalizePhrase(text).replace(/ /g, "_");
}

/**
 * Checks a dimension against the KPI's dimensions. `dimensions` undefined means the KPI is not known
 * here (an alert scope of a stage), so any well-formed name passes.
 */
export function checkDimension(
  kpi: string | null,
  text: string,
  dimensions: readonly string[] | undefined,
): { ok: true; dimension: string } | { ok: false; error: ClgError } {
  const dimension = dimensionSlug(text);
  if (dimension.length === 0) {
    return { ok: false, error: new ClgError("clg_bad_dimension", "Which dimension? Add one after `by`.") };
  }
  if (dimensions === undefined || dimensions.includes(dimension)) return { ok: true, dimension };
  if (dimensions.length === 0) {
    return {
      ok: false,
      error: new ClgError(
        "clg_bad_dimension",
        `${kpi ?? "This KPI"} cannot be broken down: it has no dimensions.`,
        {
          hint: "Dimensions come from the KPI's source; an admin can add them in the catalog.",
        },
      ),
    };
  }
  const suggestions = closest(
    dimension,
    dimensions.map((d) => ({ key: d, label: d, group: d })),
  );
  return {
    ok: false,
    error: new ClgError(
      "clg_bad_dimension",
      `${kpi ?? "This KPI"} has no dimension "${text}".${didYouMean(suggestions)}`,
      { hint: `Its dimensions: ${quotedList(dimensions, "and")}.`, suggestions },
    ),
  };
}

/**
 * Reads `owner:Dana Ruiz` (also `owner: Dana Ruiz`, `owner = Dana Ruiz`) into "owner:Dana Ruiz",
 * keeping the value's case because it is matched against source data.
 */
export function parseSegment(
  kpi: string | null,
  text: string,
  dimensions: readonly string[] | undefined,
): { ok: true; segment: string } | { ok: false; error: ClgError } {
  const at = text.search(/[:=]/);
  const value = at === -1 ? "" : text.slice(at + 1).trim();
  if (at === -1 || value.length === 0) {
    return {
      ok: false,
      error: new ClgError("clg_bad_dimension", `"for ${text}" needs a dimension and a value.`, {
        hint: 'Write it as `for <dimension>:<value>`, e.g. `for owner:"Dana Ruiz"`.',
      }),
    };
  }
  const checked = checkDimension(kpi, text.slice(0, at), dimensions);
  if (!checked.ok) return checked;
  return { ok: true, segment: `${checked.dimension}:${value}` };
}
