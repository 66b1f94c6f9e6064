import { readFileSync } from "node:fs";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

/** The example column of README's "At a glance" table (`help threshold`, `help churn` are two). */
export function readmeExamples(): string[] {
  const readme = read("README.md");
  const section = readme.slice(readme.indexOf("### At a glance"));
  const table = section.slice(0, section.indexOf("\n\n", section.indexOf("|")));
  return table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => {
      const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
      const example = cells[cells.length - 2] ?? "";
      return [...example.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
    });
}

/**
 * Every command in docs/commands.md's code blocks: one a line, the command before the two spaces
 * that start its comment. A block that opens with `$ ` is a transcript of a refused command, kept as
 * it reads.
 */
export function commandDocExamples(): string[] {
  const doc = read("docs/commands.md");
  const blocks = [...doc.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks
    .filter((b) => !b.startsWith("$ "))
    .flatMap((b) => b.split("\n"))
    .map((line) => line.split(/\s{2,}/)[0]?.trim() ?? "")
    .filter((line) => line !== "");
}

/**
 * The whole commands written inline where docs/commands.md explains KPI names and segments
 * (`first value 7d`, `net-revenue-retention`, `owner = "Dana Ruiz"` as a `for` option).
 */
/** The prose of "Asking for a KPI" (code blocks left out). */
function askingProse(): string {
  const doc = read("docs/commands.md");
  const start = doc.indexOf("### Asking for a KPI");
  const section = doc.slice(start, doc.indexOf("\n## ", start));
  return section.replace(/```[\s\S]*?```/g, "");
}

/** Questions the prose shows being refused: "`churn week` says ...", "`X` is refused", "`X` answers `No data`". */
export function refusedKpiExamples(): string[] {
  return [...askingProse().matchAll(/`([^`]+)`\s+(?:is refused|says|answers `No data)/g)].map(
    (m) => m[1] as string,
  );
}

/** KPI questions written inline in the prose, other than those it shows being refused. */
export function inlineKpiExamples(): string[] {
  const refused = new Set(refusedKpiExamples());
  const spans = [...askingProse().matchAll(/`([^`]+)`/g)]
    .map((m) => m[1] as string)
    .filter((s) => !refused.has(s));
  const kpiNames = spans.filter((s) => /^[a-z][a-z0-9 _-]{3,}$/.test(s) && !/^(vs|by|for) /.test(s));
  const segments = spans
    .filter((s) => /^(for )?[a-z]+ ?[:=] ?/.test(s))
    .map((s) => `churn ${s.startsWith("for ") ? s : `for ${s}`}`);
  return [...kpiNames, ...segments];
}

/** The rows of the error-code table in docs/commands.md: every code named in its first column. */
export function documentedErrorCodes(): string[] {
  const doc = read("docs/commands.md");
  return [...doc.matchAll(/^\| ((?:`clg_[a-z_]+`(?:, )?)+)/gm)].flatMap((m) =>
    [...(m[1] as string).matchAll(/`(clg_[a-z_]+)`/g)].map((c) => c[1] as string),
  );
}
