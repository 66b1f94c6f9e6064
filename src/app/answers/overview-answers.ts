import {
  defaultWindow,
  hasThresholds,
  JOURNEY_STAGES,
  type KpiDefinition,
  STAGE_LABELS,
  type Stage,
  shownStatus,
  statusKey,
  statusMark,
} from "../../kpi/index.ts";
import type { Block, Button, KpiRow, Message } from "../../messages/message.ts";
import { buildSnapshot, evaluationOf, loadStates, type Snapshot } from "../snapshot.ts";
import { kpisOfStage, type WorkspaceCatalog } from "../workspace-catalog.ts";
import type { AnswerDeps, Asker } from "./answer-context.ts";
import { boardChart, trendChart } from "./chart-builders.ts";
import { asOfLine, rowOf, unreadableNotice } from "./shared.ts";

const CUSTOMER_SUCCESS_ON_BOARD = 3;

/** The board shows one headline KPI per journey stage (the stage's first in catalog order) and the first customer-success KPIs. */
export function boardKpis(catalog: WorkspaceCatalog): { journey: KpiDefinition[]; success: KpiDefinition[] } {
  const journey = JOURNEY_STAGES.flatMap((stage) => kpisOfStage(catalog, stage).slice(0, 1));
  const success = kpisOfStage(catalog, "customer_success").slice(0, CUSTOMER_SUCCESS_ON_BOARD);
  return { journey, success };
}

function rowsAt(
  snapshot: Snapshot,
  defs: readonly KpiDefinition[],
  window: string | null,
  locale: string,
): KpiRow[] {
  return defs.flatMap((d) => rowOf(snapshot, d, window ?? defaultWindow(d), locale) ?? []);
}

export async function boardSnapshot(
  deps: AnswerDeps,
  defs: readonly KpiDefinition[],
  window: string | null,
): Promise<Snapshot> {
  return buildSnapshot(deps.db, deps.catalog, {
    kpis: defs.map((d) => d.slug),
    ...(window ? { windows: [window] } : {}),
    now: deps.clock.now(),
  });
}

export function boardBlocks(
  snapshot: Snapshot,
  catalog: WorkspaceCatalog,
  window: string | null,
  locale: string,
): { blocks: Block[]; rows: KpiRow[] } {
  const { journey, success } = boardKpis(catalog);
  const journeyRows = rowsAt(snapshot, journey, window, locale);
  const successRows = rowsAt(snapshot, success, window, locale);
  const blocks: Block[] = [];
  if (journeyRows.length > 0) {
    blocks.push({ type: "kpis", rows: journeyRows });
    blocks.push({ type: "chart", chart: boardChart("Customer-Led Growth board", journeyRows) });
  }
  if (successRows.length > 0) {
    blocks.push({ type: "text", text: "**Customer success**" }, { type: "kpis", rows: successRows });
  }
  blocks.push(...unreadableNotice(catalog));
  return { blocks, rows: [...journeyRows, ...successRows] };
}

function worstButtons(rows: readonly KpiRow[]): Button[] {
  return rows
    .filter((r) => r.status === "red" || r.status === "amber")
    .slice(0, 3)
    .map((r) => ({
      label: r.name,
      command: `${r.slug} ${r.window}`,
      ...(r.status === "red" ? { style: "danger" as const } : {}),
    }));
}

/** `/clg board`: all six stages at a glance, plus the customer-success headline numbers. */
export async function answerBoard(deps: AnswerDeps, asker: Asker, window: string | null): Promise<Message> {
  const { journey, success } = boardKpis(deps.catalog);
  if (journey.length + success.length + deps.catalog.unreadable.length === 0) return emptyCatalog();
  const snapshot = await boardSnapshot(deps, [...journey, ...success], window);
  const { blocks, rows } = boardBlocks(snapshot, deps.catalog, window, asker.locale);
  const red = rows.filter((r) => r.status === "red");
  return {
    summary: `CLG board: ${red.length === 0 ? "nothing red" : `${red.map((r) => r.name).join(", ")} red`}`,
    blocks: [
      { type: "header", text: "Customer-Led Growth board" },
      ...blocks,
      { type: "actions", buttons: [...worstButtons(rows), { label: "Digest", command: "digest" }] },
      { type: "context", text: asOfLine(snapshot, [...journey, ...success]) },
    ],
  };
}

/** `/clg stage activation`: every KPI of one stage, with the first one's trend. */
export async function answerStage(
  deps: AnswerDeps,
  asker: Asker,
  stage: Stage,
  window: string | null,
): Promise<Message> {
  const defs = kpisOfStage(deps.catalog, stage);
  const notice = unreadableNotice(deps.catalog, (k) => k.stage === stage);
  if (defs.length === 0) {
    return {
      summary: `No KPIs in ${STAGE_LABELS[stage]}.`,
      blocks: [
        {
          type: "text",
          text: `The catalog has no KPI in the ${STAGE_LABELS[stage]} stage yet. Add one with \`clg catalog apply\`.`,
        },
        ...notice,
      ],
    };
  }
  const snapshot = await boardSnapshot(deps, defs, window);
  const rows = rowsAt(snapshot, defs, window, asker.locale);
  const blocks: Block[] = [
    { type: "header", text: `${STAGE_LABELS[stage]} · ${rows.length} KPI${rows.length === 1 ? "" : "s"}` },
    { type: "kpis", rows },
  ];
  const first = defs[0] as KpiDefinition;
  const e = evaluationOf(snapshot, first.slug, window ?? defaultWindow(first));
  const firstRow = rows[0];
  if (e && firstRow)
    blocks.push({
      type: "chart",
      chart: trendChart(first, e, snapshot, firstRow.status, firstRow.formatted, firstRow.rated),
    });
  blocks.push({
    type: "actions",
    buttons: defs.slice(0, 5).map((d) => ({ label: d.name, command: d.slug })),
  });
  blocks.push(...notice, { type: "context", text: asOfLine(snapshot, defs) });
  return {
    summary: `${STAGE_LABELS[stage]}: ${rows.map((r) => `${r.name} ${r.formatted}`).join(", ")}`,
    blocks,
  };
}

/** `/clg list [stage]`: the catalog by stage, with each KPI's last known status and the words that reach it. */
export async function answerList(deps: AnswerDeps, _asker: Asker, stage: Stage | null): Promise<Message> {
  const states = await loadStates(deps.db, deps.catalog.workspace);
  const stages = stage ? [stage] : ([...JOURNEY_STAGES, "customer_success"] as Stage[]);
  const blocks: Block[] = [
    { type: "header", text: stage ? `KPIs in ${STAGE_LABELS[stage]}` : "Every KPI, by journey stage" },
  ];
  let count = 0;
  for (const s of stages) {
    const defs = kpisOfStage(deps.catalog, s);
    if (defs.length === 0) continue;
    count += defs.length;
    const lines = defs.map((d) => {
      const stored = states.get(statusKey(d.slug, defaultWindow(d)));
      const status = stored ? shownStatus(stored.state) : "no_data";
      const aliases = d.aliases.length > 0 ? ` · also: ${d.aliases.slice(0, 3).join(", ")}` : "";
      const mark = statusMark(status, hasThresholds(d, defaultWindow(d)));
      return `${mark.symbol} ${mark.label} · **${d.slug}** ${d.name} (${d.windows.join(", ")})${aliases}`;
    });
    blocks.push({ type: "text", text: `**${STAGE_LABELS[s]}**\n${lines.join("\n")}` });
  }
  const notice = unreadableNotice(deps.catalog, (k) => stage === null || k.stage === stage);
  if (count === 0 && notice.length === 0) return emptyCatalog();
  blocks.push(...notice);
  blocks.push({
    type: "context",
    text: "Ask for one by slug, name or alias: `activation 28d`, `churn by owner`, `nps vs target`.",
  });
  return { summary: `${count} KPIs`, blocks };
}

function emptyCatalog(): Message {
  return {
    summary: "The catalog is empty.",
    blocks: [
      {
        type: "text",
        text: "This workspace has no KPIs yet. An admin adds them with `clg catalog apply catalog.yaml`.",
      },
    ],
    tone: "warning",
  };
}
