import { closest } from "fastest-levenshtein";
import { parseCron, parseTimezone } from "../commands/parse-schedule.ts";
import { checkSources } from "../connectors/registry.ts";
import type { ClgError, Result } from "../errors.ts";
import { validateFormulas } from "../kpi/formula.ts";
import { numberProblem } from "../number-range.ts";
import { type CatalogIssue, formatPath } from "./catalog-issues.ts";
import type { Catalog } from "./catalog-schema.ts";
import { ruleText, shadowedRules } from "./shadowed-rules.ts";
import { subscriptionKey } from "./subscription-key.ts";

export type LocatedIssue = CatalogIssue & { at: PropertyKey[] };

const didYouMean = (word: string, known: readonly string[]) =>
  known.length > 0 ? ` (did you mean "${closest(word, [...known])}"?)` : "";

/** Checks that need the whole catalog: duplicates, references between entries, windows, scales, formulas. */
export function checkCatalog(catalog: Catalog): LocatedIssue[] {
  const issues: LocatedIssue[] = [];
  const add = (at: PropertyKey[], message: string) => issues.push({ at, path: formatPath(at), message });

  // Time zones and schedules go through the same validators as the chat commands, so both accept and
  // refuse the same text with the same words.
  const validate = (at: PropertyKey[], result: Result<string, ClgError>) => {
    if (!result.ok) add(at, [result.error.message, result.error.hint].filter(Boolean).join(" "));
  };
  validate(["timezone"], parseTimezone(catalog.timezone));
  catalog.sources.forEach((s, i) => {
    validate(["sources", i, "schedule"], parseCron(s.schedule, { fixedMinute: false }));
  });
  catalog.subscriptions.forEach((s, i) => {
    if (s.cron !== undefined) validate(["subscriptions", i, "cron"], parseCron(s.cron));
    if (s.timezone !== undefined) validate(["subscriptions", i, "timezone"], parseTimezone(s.timezone));
  });

  const sourceNames = catalog.sources.map((s) => s.name);
  firstSeen(sourceNames).forEach((first, i) => {
    if (first !== i)
      add(["sources", i, "name"], `duplicate source "${sourceNames[i]}" (also sources[${first}])`);
  });

  const slugs = catalog.kpis.map((k) => k.slug);
  firstSeen(slugs).forEach((first, i) => {
    if (first !== i) add(["kpis", i, "slug"], `duplicate slug "${slugs[i]}" (also kpis[${first}])`);
  });

  // Names people type: every slug and alias must lead to one KPI.
  const owner = new Map<string, number>();
  catalog.kpis.forEach((k, i) => {
    owner.set(k.slug.toLowerCase(), i);
  });
  catalog.kpis.forEach((k, i) => {
    k.aliases.forEach((alias, j) => {
      const name = alias.trim().toLowerCase();
      const other = owner.get(name);
      if (other !== undefined && other !== i) {
        const what = catalog.kpis[other]?.slug === name ? "the slug" : "an alias";
        add(
          ["kpis", i, "aliases", j],
          `alias "${alias}" is already ${what} of kpis[${other}] (${catalog.kpis[other]?.slug})`,
        );
      } else owner.set(name, i);
    });
  });

  catalog.kpis.forEach((k, i) => {
    if (k.source !== undefined && !sourceNames.includes(k.source)) {
      add(
        ["kpis", i, "source"],
        `unknown source "${k.source}"${didYouMean(k.source, sourceNames)}; sources are declared under "sources"`,
      );
    }
    const windows = k.windows.join(", ");
    if (k.default_window !== undefined && !k.windows.includes(k.default_window)) {
      add(
        ["kpis", i, "default_window"],
        `"${k.default_window}" is not one of this KPI's windows (${windows})`,
      );
    }
    for (const [at, n] of kpiNumbers(k)) {
      const problem = numberProblem(n);
      if (problem !== null) add(["kpis", i, ...at], `${n} ${problem}`);
    }
    k.thresholds.forEach((t, j) => {
      if (t.window !== undefined && !k.windows.includes(t.window)) {
        add(
          ["kpis", i, "thresholds", j, "window"],
          `"${t.window}" is not one of this KPI's windows (${windows})`,
        );
      }
      const value = t.below ?? t.above ?? 0;
      if (isCount(k) && value < 0) {
        add(
          ["kpis", i, "thresholds", j, t.below !== undefined ? "below" : "above"],
          "a count cannot be negative",
        );
      }
    });
    k.targets.forEach((t, j) => {
      if (isCount(k) && t.value < 0)
        add(["kpis", i, "targets", j, "value"], "a count target cannot be negative");
    });
    const agg = k.aggregation;
    if (agg.kind === "distribution") {
      for (const field of ["promoter_min", "detractor_max", "positive_min"] as const) {
        const v = agg[field];
        if (v !== undefined && (v < agg.scale.min || v > agg.scale.max)) {
          add(
            ["kpis", i, "aggregation", field],
            `${v} is outside the scale ${agg.scale.min}-${agg.scale.max}`,
          );
        }
      }
      if (
        agg.promoter_min !== undefined &&
        agg.detractor_max !== undefined &&
        agg.detractor_max >= agg.promoter_min
      ) {
        add(["kpis", i, "aggregation", "detractor_max"], "detractor_max must be below promoter_min");
      }
    }
  });

  for (const f of validateFormulas(catalog.kpis)) {
    const at = f.path.match(/^kpis\[(\d+)\]\.aggregation\.expression$/);
    issues.push({
      at: at ? ["kpis", Number(at[1]), "aggregation", "expression"] : [],
      path: f.path,
      message: f.message,
    });
  }

  // Connector checks only make sense once the references between entries hold.
  if (issues.length === 0) {
    for (const s of checkSources(catalog.sources, catalog.kpis)) add(s.at, s.message);
  }

  const seenSubs = new Map<string, number>();
  catalog.subscriptions.forEach((s, i) => {
    if (s.filter.kpi !== undefined && !slugs.includes(s.filter.kpi)) {
      add(
        ["subscriptions", i, "filter", "kpi"],
        `unknown KPI "${s.filter.kpi}"${didYouMean(s.filter.kpi, slugs)}`,
      );
    }
    const key = subscriptionKey(s);
    const first = seenSubs.get(key);
    if (first !== undefined) add(["subscriptions", i], `the same subscription as subscriptions[${first}]`);
    else seenSubs.set(key, i);
  });
  return issues;
}

/** What is allowed but surely not meant: threshold rules that can never match. Reported, not refused. */
export function catalogWarnings(catalog: Catalog): string[] {
  return catalog.kpis.flatMap((k, i) =>
    shadowedRules(k.thresholds).map(
      (s) =>
        `kpis[${i}].thresholds[${s.index}] (${k.slug}: ${ruleText(s.rule)}) can never match: thresholds[${s.byIndex}] (${ruleText(s.by)}) comes first and catches every value it would.`,
    ),
  );
}

/** Every number of a KPI a person writes, with its path: each must be finite and in range. */
function kpiNumbers(k: Catalog["kpis"][number]): [PropertyKey[], number][] {
  const out: [PropertyKey[], number][] = [];
  k.thresholds.forEach((t, j) => {
    if (t.below !== undefined) out.push([["thresholds", j, "below"], t.below]);
    if (t.above !== undefined) out.push([["thresholds", j, "above"], t.above]);
  });
  k.targets.forEach((t, j) => {
    out.push([["targets", j, "value"], t.value]);
  });
  out.push([["flap", "recovery_margin"], k.flap.recovery_margin]);
  if (k.aggregation.kind === "ratio") out.push([["aggregation", "scale"], k.aggregation.scale]);
  return out;
}

function isCount(k: Catalog["kpis"][number]): boolean {
  return k.aggregation.kind === "count" || k.unit === "count";
}

/** For each position, the index where that value first appeared. */
function firstSeen(values: readonly string[]): number[] {
  const first = new Map<string, number>();
  return values.map((v, i) => {
    const f = first.get(v);
    if (f === undefined) first.set(v, i);
    return f ?? i;
  });
}
