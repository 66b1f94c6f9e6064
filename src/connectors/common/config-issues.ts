import type { z } from "zod";
import type { ConnectorIssue } from "../connector.ts";

/** zod's problems with a source config or a KPI query, as connector issues with their paths. */
export function zodIssues(error: z.ZodError, on: ConnectorIssue["on"], root: string): ConnectorIssue[] {
  return error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const at = [root, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))];
    if (keys.length > 0)
      return { on, at: [...at, keys[0] as string], message: "unknown field (check the spelling)" };
    return { on, at, message: issue.message.replace(/^Invalid input: /, "") };
  });
}

/** A thrown ClgError (from a query planner that throws) as one issue on a KPI's query. */
export function thrownIssue(kpi: string, e: unknown): ConnectorIssue {
  const message = e instanceof Error ? e.message.replace(`KPI "${kpi}": `, "") : String(e);
  return { on: { kpi }, at: ["query"], message };
}
