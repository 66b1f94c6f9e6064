import { parse } from "csv-parse/sync";
import { JSONPath } from "jsonpath-plus";
import { ClgError } from "../../errors.ts";

export type Row = Record<string, unknown>;

function failed(message: string, hint: string, cause?: unknown): ClgError {
  return new ClgError("clg_source_failed", message, { hint, cause });
}

/** CSV with a header line into rows keyed by column name (a UTF-8 BOM, as Excel writes it, is dropped). */
export function csvRows(text: string, what: string): Row[] {
  try {
    return parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }) as Row[];
  } catch (e) {
    throw failed(
      `${what}: the CSV could not be read: ${(e as Error).message}`,
      "The first line names the columns; each row has as many fields.",
      e,
    );
  }
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw failed(
      `${what}: the answer is not JSON (${(e as Error).message}).`,
      "Check config.format and the URL.",
      e,
    );
  }
}

/** The rows a JSONPath selects (the whole document when it is the array of rows and no path is given). */
export function jsonRows(document: unknown, path: string | undefined, what: string): Row[] {
  let selected: unknown[];
  try {
    selected =
      path === undefined
        ? Array.isArray(document)
          ? document
          : [document]
        : (JSONPath({ path, json: document as object, wrap: true, eval: "safe" }) as unknown[]);
  } catch (e) {
    throw failed(`${what}: jsonpath "${path}" failed: ${(e as Error).message}`, "Fix query.jsonpath.", e);
  }
  // A path that selects one array (`$.data`) means its items.
  if (selected.length === 1 && Array.isArray(selected[0])) selected = selected[0];
  const bad = selected.findIndex((r) => typeof r !== "object" || r === null || Array.isArray(r));
  if (bad !== -1) {
    throw failed(
      `${what}: jsonpath ${path ?? "$"} selects ${JSON.stringify(selected[bad])?.slice(0, 60)}, not an object with fields.`,
      "Point query.jsonpath at the row objects, e.g. $.data[*].",
    );
  }
  return selected as Row[];
}
