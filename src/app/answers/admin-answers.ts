import { shadowedRules } from "../../catalog/shadowed-rules.ts";
import { writeAudit } from "../../db/audit-log-repository.ts";
import { getKpiDefinition, kpiPositions, saveKpiDefinition } from "../../db/kpis-repository.ts";
import { addMute } from "../../db/mutes-repository.ts";
import { ClgError } from "../../errors.ts";
import type { ThresholdRule } from "../../kpi/index.ts";
import { formatDuration, formatValue } from "../../messages/format.ts";
import type { Message } from "../../messages/message.ts";
import type { AnswerDeps, Asker } from "./answer-context.ts";
import { recordSnooze } from "./incident-answers.ts";
import { mustKpi } from "./shared.ts";

const SEVERITY_ORDER = { red: 0, amber: 1, green: 2 } as const;

/** Replaces the rule for the same status and window, keeping red rules before amber ones (first match wins). */
export function withRule(rules: readonly ThresholdRule[], rule: ThresholdRule): ThresholdRule[] {
  const kept = rules.filter(
    (r) => !(r.status === rule.status && (r.window ?? null) === (rule.window ?? null)),
  );
  return [...kept, rule].sort((a, b) => SEVERITY_ORDER[a.status] - SEVERITY_ORDER[b.status]);
}

export function describeRule(unitFormat: Parameters<typeof formatValue>[0], r: ThresholdRule): string {
  const bound =
    r.below !== undefined
      ? `below ${formatValue(unitFormat, r.below)}`
      : `above ${formatValue(unitFormat, r.above ?? null)}`;
  return `${r.status} ${bound}${r.window ? ` (${r.window})` : ""}`;
}

/** `/clg threshold activation red < 50%` (admins only): changes the rule, records who did it. */
export async function answerThreshold(
  deps: AnswerDeps,
  asker: Asker,
  cmd: {
    kpi: string;
    status: ThresholdRule["status"];
    op: "below" | "above";
    value: number;
    percent?: boolean;
    window: string | null;
  },
): Promise<Message> {
  if (!asker.isAdmin) {
    throw new ClgError("clg_forbidden", "Only admins can change thresholds.", {
      hint: "Ask an admin of this workspace (the catalog's workspace.admins, or the platform's own admins), or propose the change in the catalog file.",
    });
  }
  const def = mustKpi(deps.catalog, cmd.kpi);
  if (cmd.percent && def.unit !== "percent") {
    throw new ClgError(
      "clg_bad_threshold",
      `${def.name} is measured in ${def.unit === "currency" ? (def.format.currency ?? "money") : `${def.unit}s`}, not percent, so "${cmd.value}%" cannot be its threshold.`,
      {
        hint: `Write the number without %: threshold ${def.slug} ${cmd.status} ${cmd.op === "below" ? "<" : ">"} ${cmd.value}`,
      },
    );
  }
  if (cmd.window && !def.windows.includes(cmd.window)) {
    throw new ClgError(
      "clg_bad_threshold",
      `${def.name} is not evaluated over ${cmd.window}; its windows are ${def.windows.join(", ")}.`,
      {
        hint: "threshold <kpi> <red|amber|green> <|> <number>[%] [window]",
      },
    );
  }
  const rule: ThresholdRule = {
    status: cmd.status,
    [cmd.op]: cmd.value,
    ...(cmd.window ? { window: cmd.window } : {}),
  } as ThresholdRule;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const current = await getKpiDefinition(trx, asker.workspace, def.slug);
    if (!current) throw new ClgError("clg_unknown_kpi", `No KPI "${def.slug}" in this workspace.`);
    const thresholds = withRule(current.thresholds, rule);
    const position = (await kpiPositions(trx, asker.workspace)).get(def.slug) ?? 0;
    await saveKpiDefinition(trx, asker.workspace, { ...current, thresholds }, position, now);
    await writeAudit(trx, asker.workspace, [
      {
        actor: asker.user,
        action: "update",
        entity: "thresholds",
        entityKey: def.slug,
        before: current.thresholds,
        after: thresholds,
        at: now,
      },
    ]);
  });
  const updated = withRule(def.thresholds, rule);
  const text = `${def.name} is now ${describeRule(def, rule)}. Rules, first match wins: ${updated.map((r) => describeRule(def, r)).join("; ")}; otherwise green.`;
  const warnings = shadowedRules(updated).map(
    (s) =>
      `Warning: ${describeRule(def, s.rule)} can never match, because ${describeRule(def, s.by)} comes first and catches every value it would.`,
  );
  return {
    summary: text,
    blocks: [
      { type: "text", text },
      ...warnings.map((w) => ({ type: "text" as const, text: w })),
      {
        type: "context",
        text: `Changed by ${asker.user}; the next evaluation uses it. The catalog file still has the old rule until it is exported.`,
      },
    ],
  };
}

/** `/clg snooze activation 2h`: no alerts for that KPI until then; digests still show it. */
export async function answerSnooze(
  deps: AnswerDeps,
  asker: Asker,
  cmd: { kpi: string; minutes: number },
): Promise<Message> {
  const def = mustKpi(deps.catalog, cmd.kpi);
  const now = deps.clock.now();
  const until = new Date(now.getTime() + cmd.minutes * 60_000);
  await addMute(deps.db, asker.workspace, { kpi: def.slug, until, createdBy: asker.user });
  await recordSnooze(deps.db, deps.catalog, asker, def.slug, until, now);
  await writeAudit(deps.db, asker.workspace, [
    {
      actor: asker.user,
      action: "mute",
      entity: "kpi",
      entityKey: def.slug,
      before: null,
      after: { until: until.toISOString() },
      at: now,
    },
  ]);
  const text = `Alerts for ${def.name} are snoozed for ${formatDuration(cmd.minutes)}, until ${until.toISOString().slice(0, 16).replace("T", " ")} UTC.`;
  return {
    summary: text,
    blocks: [
      { type: "text", text },
      { type: "context", text: "Digests and answers still show it." },
    ],
  };
}
