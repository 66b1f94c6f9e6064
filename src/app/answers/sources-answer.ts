import { listSources } from "../../db/sources-repository.ts";
import type { Block, Message } from "../../messages/message.ts";
import { lastPollFailed } from "../snapshot.ts";
import type { AnswerDeps } from "./answer-context.ts";

function ago(from: Date | null, now: Date): string {
  if (!from) return "never";
  const minutes = Math.round((now.getTime() - from.getTime()) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** `/clg sources`: each source, when it last answered, and what failed. Secrets are never shown. */
export async function answerSources(deps: AnswerDeps): Promise<Message> {
  const now = deps.clock.now();
  const sources = await listSources(deps.db, deps.catalog.workspace);
  if (sources.length === 0) {
    return {
      summary: "No sources.",
      blocks: [
        {
          type: "text",
          text: "No sources are configured. Add one to the catalog file and run `clg catalog apply`.",
        },
      ],
    };
  }
  const blocks: Block[] = [{ type: "header", text: "Sources" }];
  for (const s of sources) {
    const failing = lastPollFailed(s);
    const kpis = deps.catalog.kpis.filter((k) => k.source === s.name).length;
    blocks.push({
      type: "fields",
      fields: [
        {
          label: `${failing ? "✖" : "●"} ${s.name}`,
          value: `${s.kind} · ${kpis} KPI${kpis === 1 ? "" : "s"}`,
        },
        { label: "Polled", value: `${s.schedule} · last success ${ago(s.last_success_at, now)}` },
        {
          label: "Data",
          value: s.complete_through ? `complete through ${s.complete_through}` : "no complete day yet",
        },
        {
          label: "Status",
          value: failing
            ? `failing since ${ago(s.error_notified_at ?? s.last_error_at, now)}: ${s.last_error}; its KPIs keep their last good data`
            : "ok",
        },
      ],
    });
  }
  const failing = sources.filter(lastPollFailed);
  return {
    summary: `${sources.length} sources, ${failing.length} failing`,
    blocks,
    tone: failing.length > 0 ? "warning" : "info",
  };
}
