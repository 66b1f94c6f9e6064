import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import { ClgError } from "../errors.ts";
import { type CatalogIssue, catalogInvalid, formatPath } from "./catalog-issues.ts";
import { type Catalog, catalogSchema } from "./catalog-schema.ts";
import { checkCatalog } from "./check-catalog.ts";

export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(e);
    throw new ClgError("clg_catalog_invalid", `Cannot read the catalog file ${path} (${why}).`, { cause: e });
  }
  return parseCatalogText(text, basename(path));
}

/**
 * Parses a catalog (YAML, or JSON which YAML reads too), validates it against the schema and then
 * checks it as a whole (duplicates, references, windows, formulas). Every problem is reported at once,
 * with its path and line.
 */
export function parseCatalogText(text: string, fileName: string): Catalog {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw catalogInvalid(
      fileName,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const first = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
        return { path: "(syntax)", message: first, line: pos?.line, column: pos?.col };
      }),
    );
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const locate = (path: readonly PropertyKey[]): Pick<CatalogIssue, "line" | "column"> => {
    // Walk up until a node exists (a missing field is reported at its parent).
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node?.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return {};
  };
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success)
    throw catalogInvalid(
      fileName,
      parsed.error.issues.flatMap((i) => schemaIssues(i, locate)),
    );
  const problems = checkCatalog(parsed.data).map((p) => ({ ...p, ...locate(p.at) }));
  if (problems.length > 0) throw catalogInvalid(fileName, problems);
  return parsed.data;
}

function schemaIssues(
  issue: z.core.$ZodIssue,
  locate: (path: readonly PropertyKey[]) => Pick<CatalogIssue, "line" | "column">,
): CatalogIssue[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return { path: formatPath(path), message: "unknown field (check the spelling)", ...locate(path) };
    });
  }
  let message = issue.message.replace(/^Invalid input: /, "");
  if (/received undefined$/.test(message))
    message = `required: ${message.replace(/, received undefined$/, "")}`;
  if (issue.code === "invalid_union" && "options" in issue) {
    message = `expected one of ${(issue.options as unknown[]).map((o) => `"${String(o)}"`).join(", ")}`;
  }
  return [{ path: formatPath(issue.path), message, ...locate(issue.path) }];
}
