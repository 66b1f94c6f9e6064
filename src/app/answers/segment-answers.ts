import { commandText } from "../../commands/command-text.ts";
import { loadSamples } from "../../db/samples-repository.ts";
import { ClgError } from "../../errors.ts";
import {
  breakdown,
  defaultWindow,
  type Evaluation,
  hasThresholds,
  type KpiDefinition,
  lastCompleteDay,
  parseSegmentKey,
  resolveWindow,
  statusMark,
} from "../../kpi/index.ts";
import { formatDelta, formatValue, isNoChange } from "../../messages/format.ts";
import type { Block, KpiRow, Message } from "../../messages/message.ts";
import { buildSnapshot, evaluationOf } from "../snapshot.ts";
import type { AnswerDeps, Asker } from "./answer-context.ts";
import { breakdownChart, trendChart } from "./chart-builders.ts";
import { kpiRow } from "./kpi-row.ts";
import { mustHaveSegment } from "./segment-check.ts";
import { asOfLine, mustKpi, mustWindow, rowFor } from "./shared.ts";

function splittable(def: KpiDefinition, dimension: string): void {
  if (def.aggregation.kind === "formula") {
    throw new ClgError(
      "clg_bad_dimension",
      `${def.name} is computed from other KPIs, so it cannot be split by ${dimension}.`,
      {
        hint: "Ask for one of its inputs by that dimension instead.",
      },
    );
  }
  if (!def.dimensions.includes(dimension)) {
    const known =
      def.dimensions.length > 0
        ? `It can be split by ${def.dimensions.join(", ")}.`
        : "Its source gives no dimensions.";
    throw new ClgError("clg_bad_dimension", `${def.name} cannot be split by "${dimension}". ${known}`, {
      suggestions: def.dimensions,
    });
  }
}

/** Targets belong to the KPI as a whole: a segment or a breakdown has none to compare with. */
function noSegmentTargets(
  def: KpiDefinition,
  compare: "previous" | "target" | undefined,
  part: string,
): void {
  if (compare !== "target") return;
  throw new ClgError(
    "clg_bad_dimension",
    `"vs target" cannot be combined with ${part}: ${def.name}'s targets are set for the whole, not per segment.`,
    { hint: `Ask \`${def.slug} vs target\` for the target, or \`${def.slug} ${part}\` for the segments.` },
  );
}

/** `/clg churn by owner`: each segment's value and status, and who moved most. */
export async function answerBreakdown(
  deps: AnswerDeps,
  asker: Asker,
  q: {
    kpi: string;
    window: string | null;
    by: string;
    segment?: string | null;
    compare?: "previous" | "target";
  },
): Promise<Message> {
  const def = mustKpi(deps.catalog, q.kpi);
  splittable(def, q.by);
  if (q.segment) {
    throw new ClgError(
      "clg_bad_dimension",
      `"by ${q.by}" cannot be combined with "for ${q.segment}": the source splits ${def.name} by one dimension at a time, so there is no ${q.by} within ${q.segment}.`,
      {
        hint: `Ask \`${def.slug} by ${q.by}\` or \`${def.slug} for ${q.segment}\`.`,
      },
    );
  }
  noSegmentTargets(def, q.compare, `by ${q.by}`);
  const window = q.window ?? defaultWindow(def);
  mustWindow(def, window);
  const now = deps.clock.now();
  const asOf = lastCompleteDay(now, deps.catalog.timezone);
  const ranges = resolveWindow(window, asOf, deps.catalog.timezone);
  const samples = await loadSamples(deps.db, deps.catalog.workspace, [def.slug], {
    start: ranges.previous.start,
    end: asOf,
  });
  const b = breakdown(def, window, q.by, samples, ranges);
  const title = `${def.name} by ${q.by} · ${ranges.label}`;
  if (b.rows.length === 0) {
    return {
      summary: `No ${q.by} breakdown of ${def.name} yet.`,
      blocks: [
        { type: "header", text: title },
        {
          type: "text",
          text: `The source has not sent ${def.name} by ${q.by} for this window yet. It will show after the next poll that includes it.`,
        },
      ],
    };
  }
  const rows: KpiRow[] = b.rows.map((r) => ({
    slug: def.slug,
    name: r.label,
    stage: def.stage,
    window,
    value: r.value,
    formatted: formatValue(def, r.value, asker.locale),
    status: r.status,
    rated: hasThresholds(def, window),
    delta: formatDelta(def, r.delta, `previous ${window}`, asker.locale),
    deltaGood: isNoChange(formatDelta(def, r.delta, "")) ? null : (r.delta?.good ?? null),
    target: null,
    note: null,
  }));
  const movers: string[] = [];
  const mover = (r: (typeof b.rows)[number]) =>
    `${r.label} ${formatDelta(def, r.delta, `previous ${window}`)?.replace(/ vs .*$/, "")}`;
  if (b.worsened.length > 0) movers.push(`**Worsened most:** ${b.worsened.map(mover).join(", ")}`);
  if (b.improved.length > 0) movers.push(`**Improved most:** ${b.improved.map(mover).join(", ")}`);
  const blocks: Block[] = [
    { type: "header", text: title },
    { type: "kpis", rows },
    ...(movers.length > 0 ? [{ type: "text" as const, text: movers.join("\n") }] : []),
    { type: "chart", chart: breakdownChart(def, window, b, ranges.label) },
    {
      type: "context",
      text: `Data through ${asOf} (${deps.catalog.timezone}) · segment status from thresholds, without flap control`,
    },
  ];
  const worst = b.worsened[0];
  return {
    summary: `${def.name} by ${q.by}: ${b.rows.length} segments${worst ? `; ${worst.label} worsened most` : ""}`,
    blocks,
  };
}

/** `/clg churn for owner:Dana Ruiz`: the KPI computed from one segment's samples only. */
export async function answerSegment(
  deps: AnswerDeps,
  asker: Asker,
  q: { kpi: string; window: string | null; segment: string; compare?: "previous" | "target" },
): Promise<Message> {
  const def = mustKpi(deps.catalog, q.kpi);
  const key = parseSegmentKey(q.segment);
  if (!key) {
    throw new ClgError(
      "clg_bad_dimension",
      `"${q.segment}" is not a segment; write it as dimension:value, e.g. owner:Dana Ruiz.`,
    );
  }
  splittable(def, key.dimension);
  noSegmentTargets(def, q.compare, `for ${q.segment}`);
  const window = q.window ?? defaultWindow(def);
  mustWindow(def, window);
  await mustHaveSegment(deps, [def], q.segment, (segment) =>
    commandText({ kind: "kpi", kpi: def.slug, window: q.window, compare: "previous", by: null, segment }),
  );
  const snapshot = await buildSnapshot(deps.db, deps.catalog, {
    kpis: [def.slug],
    windows: [window],
    segment: q.segment,
    now: deps.clock.now(),
  });
  if (!snapshot.indexes.has(def.slug)) {
    throw new ClgError("clg_not_found", `No data for ${def.name} in segment "${q.segment}".`, {
      hint: `Type \`${def.slug} by ${key.dimension}\` to see the segments there are.`,
    });
  }
  const e = evaluationOf(snapshot, def.slug, window) as Evaluation;
  const row = kpiRow(def, e, rowFor(snapshot, def, window, asker.locale));
  return {
    summary: `${def.name} for ${key.value} · ${e.label}: ${row.formatted}`,
    blocks: [
      {
        type: "header",
        text: `${statusMark(row.status, row.rated).symbol} ${def.name} for ${key.dimension} ${key.value} · ${e.label}`,
      },
      { type: "kpis", rows: [{ ...row, name: `${def.name} (${key.value})` }] },
      { type: "chart", chart: trendChart(def, e, snapshot, row.status, row.formatted, row.rated) },
      { type: "context", text: asOfLine(snapshot, [def]) },
    ],
  };
}
