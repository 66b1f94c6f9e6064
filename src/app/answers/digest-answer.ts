import type { SubscriptionFilter } from "../../catalog/catalog-schema.ts";
import { listStatusChangesSince } from "../../db/status-changes-repository.ts";
import { defaultWindow, parseSegmentKey, STAGE_LABELS, STATUS_LABEL, type Status } from "../../kpi/index.ts";
import { formatValue } from "../../messages/format.ts";
import type { Block, Message } from "../../messages/message.ts";
import { buildSnapshot, evaluationOf } from "../snapshot.ts";
import { kpisInScope } from "../subscription-scope.ts";
import type { AnswerDeps } from "./answer-context.ts";
import { anomalyText, forecastText, pacingText } from "./kpi-row.ts";
import { boardBlocks, boardKpis, boardSnapshot } from "./overview-answers.ts";
import { asOfLine, rowOf, unreadableNotice } from "./shared.ts";

const DAY_MS = 86_400_000;

/**
 * The digest: where each stage stands, what changed in the last week, early warnings (anomalies,
 * forecasts to a threshold) and the targets that are behind. The same message for `/clg digest` and for
 * scheduled digests.
 */
export async function composeDigest(
  deps: AnswerDeps,
  locale: string,
  filter: SubscriptionFilter = {},
): Promise<Message> {
  const segment = filter.segment ? parseSegmentKey(filter.segment) : null;
  const scoped = Boolean(filter.kpi || filter.stage || segment);
  const defs = kpisInScope(deps.catalog.kpis, filter);
  const { journey, success } = boardKpis(deps.catalog);
  const now = deps.clock.now();
  const snapshot = scoped
    ? await buildSnapshot(deps.db, deps.catalog, {
        kpis: defs.map((d) => d.slug),
        now,
        ...(filter.segment ? { segment: filter.segment } : {}),
      })
    : await boardSnapshot(deps, deps.catalog.kpis, null);
  const what = filter.kpi
    ? (deps.catalog.bySlug.get(filter.kpi)?.name ?? filter.kpi)
    : filter.stage
      ? STAGE_LABELS[filter.stage]
      : "all stages";
  const blocks: Block[] = [
    {
      type: "header",
      text: `CLG digest · ${what}${segment ? ` · ${segment.dimension} ${segment.value}` : ""}`,
    },
  ];

  if (scoped) {
    const rows = defs.flatMap((d) => rowOf(snapshot, d, defaultWindow(d), locale) ?? []);
    blocks.push({ type: "kpis", rows });
    blocks.push(
      ...unreadableNotice(deps.catalog, (k) =>
        filter.kpi ? k.slug === filter.kpi : filter.stage ? k.stage === filter.stage : true,
      ),
    );
  } else {
    blocks.push(...boardBlocks(snapshot, deps.catalog, null, locale).blocks);
  }

  const names = new Map(deps.catalog.kpis.map((k) => [k.slug, k]));
  const changes = (
    await listStatusChangesSince(deps.db, deps.catalog.workspace, new Date(now.getTime() - 7 * DAY_MS), {
      kind: "status",
    })
  ).filter((c) => defs.some((d) => d.slug === c.kpi) && c.segment === "");
  if (changes.length > 0) {
    const lines = changes.slice(-10).map((c) => {
      const def = names.get(c.kpi);
      const value = def ? formatValue(def, c.value, locale) : String(c.value ?? "");
      return `• ${def?.name ?? c.kpi} (${c.window}): ${STATUS_LABEL[(c.from_status ?? "no_data") as Status]} → **${STATUS_LABEL[(c.to_status ?? "no_data") as Status]}** at ${value}, ${c.at.toISOString().slice(0, 10)}`;
    });
    blocks.push({ type: "divider" }, { type: "text", text: `**Changed this week**\n${lines.join("\n")}` });
  }

  const warnings: string[] = [];
  const behind: string[] = [];
  for (const def of defs) {
    const e = evaluationOf(snapshot, def.slug, defaultWindow(def));
    if (!e) continue;
    if (e.anomaly) warnings.push(`• ${def.name}: ${anomalyText(def, e)}`);
    if (e.forecast) warnings.push(`• ${def.name}: ${forecastText(def, e)}`);
    if (e.pacing?.status === "behind") behind.push(`• ${def.name}: ${pacingText(def, e.pacing)}`);
  }
  if (warnings.length > 0)
    blocks.push({ type: "divider" }, { type: "text", text: `**Early warnings**\n${warnings.join("\n")}` });
  if (behind.length > 0)
    blocks.push({ type: "divider" }, { type: "text", text: `**Behind target**\n${behind.join("\n")}` });
  if (changes.length === 0 && warnings.length === 0 && behind.length === 0) {
    blocks.push({ type: "text", text: "No status changes, warnings or missed targets this week." });
  }
  blocks.push({
    type: "actions",
    buttons: [
      { label: "Board", command: "board" },
      { label: "All KPIs", command: "list" },
    ],
  });
  blocks.push({ type: "context", text: asOfLine(snapshot, scoped ? defs : [...journey, ...success]) });
  return {
    summary: `CLG digest: ${changes.length} status change${changes.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}, ${behind.length} behind target`,
    blocks,
  };
}
