import { unreadableKpiError } from "../../db/kpis-repository.ts";
import { describeFormula, type KpiDefinition, STAGE_LABELS } from "../../kpi/index.ts";
import { formatValue } from "../../messages/format.ts";
import type { Message } from "../../messages/message.ts";
import type { WorkspaceCatalog } from "../workspace-catalog.ts";
import { describeRule } from "./admin-answers.ts";

const normalize = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\s_-]+/g, " ")
    .trim();

/** The KPI a help topic names (slug, name or alias), if any. */
export function kpiForTopic(catalog: WorkspaceCatalog, topic: string): KpiDefinition | null {
  const t = normalize(topic);
  const unreadable = catalog.unreadable.find((k) => normalize(k.slug) === t || normalize(k.name) === t);
  if (unreadable) throw unreadableKpiError(unreadable);
  return catalog.kpis.find((k) => [k.slug, k.name, ...k.aliases].some((w) => normalize(w) === t)) ?? null;
}

/** `/clg help activation`: what the KPI measures, how it is computed, when it changes colour. */
export function kpiHelp(def: KpiDefinition): Message {
  const agg = def.aggregation;
  const how =
    agg.kind === "formula"
      ? `computed as ${describeFormula(agg.expression)}`
      : agg.kind === "ratio"
        ? agg.denominator === "first"
          ? "sum of numerators over the window / the denominator on its first day"
          : "sum of numerators / sum of denominators over the window"
        : agg.kind === "distribution"
          ? `${agg.statistic === "nps" ? "Net Promoter Score" : agg.statistic === "top_box" ? "share of top answers" : "mean answer"} of ${agg.scale.min}-${agg.scale.max} answers`
          : agg.kind;
  const rules = def.thresholds.map((r) => describeRule(def, r)).join("; ");
  const targets = def.targets.map((t) => `${formatValue(def, t.value)} a ${t.period}`).join(", ");
  return {
    summary: `${def.name}: ${def.description ?? how}`,
    blocks: [
      { type: "header", text: `${def.name} (${def.slug})` },
      ...(def.description ? [{ type: "text" as const, text: def.description }] : []),
      {
        type: "fields",
        fields: [
          { label: "Stage", value: STAGE_LABELS[def.stage] },
          { label: "How", value: how },
          { label: "Better when", value: def.direction === "up" ? "higher" : "lower" },
          { label: "Windows", value: def.windows.join(", ") },
          { label: "Status", value: rules ? `${rules}; otherwise green` : "no thresholds" },
          { label: "Targets", value: targets || "none" },
          { label: "Source", value: def.source ?? "imports and formulas" },
          ...(def.dimensions.length > 0 ? [{ label: "Split by", value: def.dimensions.join(", ") }] : []),
        ],
      },
      { type: "actions", buttons: [{ label: "Show it", command: def.slug }] },
      ...(def.aliases.length > 0
        ? [{ type: "context" as const, text: `Also answers to: ${def.aliases.join(", ")}` }]
        : []),
    ],
  };
}
