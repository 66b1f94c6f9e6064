import type { SubscriptionFilter } from "../../catalog/catalog-schema.ts";
import { loadSamples } from "../../db/samples-repository.ts";
import { listStatusChangesSince } from "../../db/status-changes-repository.ts";
import {
  breakdown,
  dayInZone,
  defaultWindow,
  type KpiDefinition,
  parseSegmentKey,
  resolveWindow,
  STAGE_LABELS,
  type Status,
} from "../../kpi/index.ts";
import { formatValue } from "../../messages/format.ts";
import type { Block, KpiRow, Message } from "../../messages/message.ts";
import { buildSnapshot, evaluationOf, type Snapshot } from "../snapshot.ts";
import { kpisInScope } from "../subscription-scope.ts";
import type { AnswerDeps } from "./answer-context.ts";
import { type DigestKpi, digestFacts } from "./digest-facts.ts";
import { boardKpis } from "./overview-answers.ts";
import { asOfLine, rowOf, unreadableNotice } from "./shared.ts";

const DAY_MS = 86_400_000;

/** The digest's rows carry no notes or targets: those facts are said once, in their own section. */
const bare = (row: KpiRow): KpiRow => ({ ...row, note: null, target: null });

/** The worst segment of each red or amber KPI a source splits: "owner Marcus Webb 12.7%". */
async function worstSegments(
  deps: AnswerDeps,
  snapshot: Snapshot,
  kpis: readonly { def: KpiDefinition; row: KpiRow }[],
  locale: string,
): Promise<Map<string, string>> {
  const split = kpis.filter(
    (k) =>
      (k.row.status === "red" || k.row.status === "amber") &&
      k.def.dimensions.length > 0 &&
      k.def.aggregation.kind !== "formula",
  );
  const out = new Map<string, string>();
  if (split.length === 0) return out;
  const ranges = new Map(
    split.map((k) => [k.def.slug, resolveWindow(k.row.window, snapshot.asOf, deps.catalog.timezone)]),
  );
  const start = [...ranges.values()].map((r) => r.previous.start).sort()[0] as string;
  const samples = await loadSamples(
    deps.db,
    deps.catalog.workspace,
    split.map((k) => k.def.slug),
    { start, end: snapshot.asOf },
  );
  for (const { def, row } of split) {
    const mine = samples.filter((s) => s.kpi === def.slug);
    let worst: { text: string; value: number } | null = null;
    for (const dimension of def.dimensions) {
      const b = breakdown(
        def,
        row.window,
        dimension,
        mine,
        ranges.get(def.slug) as ReturnType<typeof resolveWindow>,
      );
      for (const r of b.rows) {
        if (r.value === null || b.rows.length < 2) continue;
        const worse =
          worst === null || (def.direction === "up" ? r.value < worst.value : r.value > worst.value);
        if (worse)
          worst = { text: `${dimension} ${r.label} ${formatValue(def, r.value, locale)}`, value: r.value };
      }
    }
    if (worst) out.set(def.slug, worst.text);
  }
  return out;
}

/**
 * The digest: one summary line (counts and the headline), where each journey stage stands, every KPI
 * that is not green with its worst segment, what recovered, the biggest movers, early warnings and what is
 * behind target, each fact once. Short when nothing changed. The same message for `/clg digest` and for
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
  const now = deps.clock.now();
  const snapshot = await buildSnapshot(deps.db, deps.catalog, {
    kpis: defs.map((d) => d.slug),
    now,
    ...(filter.segment ? { segment: filter.segment } : {}),
  });
  const what = filter.kpi
    ? (deps.catalog.bySlug.get(filter.kpi)?.name ?? filter.kpi)
    : filter.stage
      ? STAGE_LABELS[filter.stage]
      : "all stages";

  const changes = await listStatusChangesSince(
    deps.db,
    deps.catalog.workspace,
    new Date(now.getTime() - 7 * DAY_MS),
    { kind: "status" },
  );
  const lastChange = new Map<string, DigestKpi["change"]>();
  for (const c of changes) {
    if (c.segment !== (filter.segment ?? "")) continue;
    lastChange.set(`${c.kpi}|${c.window}`, {
      from: (c.from_status ?? "no_data") as Status,
      to: (c.to_status ?? "no_data") as Status,
      day: dayInZone(c.at, deps.catalog.timezone),
    });
  }

  const rows = defs.flatMap((def) => {
    const window = defaultWindow(def);
    const row = rowOf(snapshot, def, window, locale);
    const evaluation = evaluationOf(snapshot, def.slug, window);
    return row && evaluation ? [{ def, row, evaluation }] : [];
  });
  const worst = segment ? new Map<string, string>() : await worstSegments(deps, snapshot, rows, locale);
  const kpis: DigestKpi[] = rows.map((r) => ({
    ...r,
    worstSegment: worst.get(r.def.slug) ?? null,
    change: lastChange.get(`${r.def.slug}|${r.row.window}`) ?? null,
  }));
  const facts = digestFacts(kpis, locale);

  const stageDefs = scoped ? defs : boardKpis(deps.catalog).journey;
  const stageRows = stageDefs.flatMap((d) => kpis.find((k) => k.def.slug === d.slug)?.row ?? []).map(bare);
  const blocks: Block[] = [
    {
      type: "header",
      text: `CLG digest · ${what}${segment ? ` · ${segment.dimension} ${segment.value}` : ""}`,
    },
    { type: "text", text: `**${facts.summary}**` },
  ];
  if (stageRows.length > 0) blocks.push({ type: "kpis", rows: stageRows });
  blocks.push(
    ...unreadableNotice(deps.catalog, (k) =>
      filter.kpi ? k.slug === filter.kpi : filter.stage ? k.stage === filter.stage : true,
    ),
  );
  const section = (title: string, lines: readonly string[]) => {
    if (lines.length > 0)
      blocks.push({ type: "text", text: `**${title}**\n${lines.map((l) => `• ${l}`).join("\n")}` });
  };
  section("Needs attention", facts.attention);
  section("Recovered this week", facts.recovered);
  section("Biggest movers", facts.movers);
  section("Early warnings", facts.warnings);
  section("Behind target", facts.behind);
  const quiet =
    facts.attention.length +
      facts.recovered.length +
      facts.movers.length +
      facts.warnings.length +
      facts.behind.length ===
    0;
  if (quiet) blocks.push({ type: "text", text: "Nothing changed this week." });
  blocks.push({
    type: "actions",
    buttons: [
      { label: "Board", command: "board" },
      { label: "All KPIs", command: "list" },
    ],
  });
  blocks.push({ type: "context", text: asOfLine(snapshot, defs) });
  return { summary: `CLG digest: ${facts.summary}`, blocks };
}
