import { ClgError } from "../errors.ts";

/** One problem in a catalog file: where (`kpis[3].thresholds[0].below`, with line:column when known) and what. */
export interface CatalogIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out === "" ? "(top level)" : out;
}

export function formatIssue(fileName: string, issue: CatalogIssue): string {
  const at = issue.line !== undefined ? `${fileName}:${issue.line}:${issue.column ?? 1}` : fileName;
  return `${at} ${issue.path}: ${issue.message}`;
}

export function catalogInvalid(fileName: string, issues: readonly CatalogIssue[]): ClgError {
  const n = issues.length;
  const lines = issues.map((i) => `  - ${formatIssue(fileName, i)}`);
  return new ClgError(
    "clg_catalog_invalid",
    `${fileName} is not a valid catalog (${n} problem${n === 1 ? "" : "s"}):\n${lines.join("\n")}`,
    { hint: "Fix the file and run `clg catalog apply` again; nothing was changed." },
  );
}
