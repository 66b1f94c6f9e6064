import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { helpMessage } from "../../src/commands/help.ts";
import { parseCommand } from "../../src/commands/parse-command.ts";
import { ClgError } from "../../src/errors.ts";
import { STATUS_LABEL, STATUS_SYMBOL } from "../../src/kpi/status.ts";
import { renderErrorMessage } from "../../src/messages/render-error.ts";
import { renderText } from "../../src/messages/render-text.ts";
import { width } from "../../src/messages/text-layout.ts";
import { vocab } from "../commands/vocabulary.ts";
import { digest, rows } from "./fixtures.ts";

const golden = (name: string) => `./golden/${name}.txt`;

function errorText(command: string): string {
  const result = parseCommand(command, vocab);
  if (result.ok) throw new Error(`${command} parsed`);
  return renderText(renderErrorMessage(result.error));
}

describe("renderText golden output", () => {
  it("digest at 100 columns", async () => {
    await expect(renderText(digest, { width: 100 })).toMatchFileSnapshot(golden("digest-100"));
  });
  it("digest at 60 columns moves targets under the row", async () => {
    await expect(renderText(digest, { width: 60 })).toMatchFileSnapshot(golden("digest-60"));
  });
  it("help", async () => {
    await expect(renderText(helpMessage(null))).toMatchFileSnapshot(golden("help"));
  });
  it("help on one topic", async () => {
    await expect(renderText(helpMessage("kpi"))).toMatchFileSnapshot(golden("help-kpi"));
  });
  it("errors", async () => {
    const text = [
      "activaton 28d",
      "threshold activation red < abc",
      'subscribe digest "not a cron"',
      "churn by plan",
    ]
      .map((c) => `$ ${c}\n${errorText(c)}`)
      .join("\n\n");
    await expect(text).toMatchFileSnapshot(golden("errors"));
  });
});

describe("renderText rules", () => {
  it("puts symbol and label on every row so colour is never the only signal", () => {
    const text = renderText({ summary: "", blocks: [{ type: "kpis", rows }] });
    for (const r of rows) expect(text).toContain(`${STATUS_SYMBOL[r.status]} ${STATUS_LABEL[r.status]}`);
  });

  it("aligns values on their right edge", () => {
    const lines = renderText({ summary: "", blocks: [{ type: "kpis", rows }] }, { width: 200 }).split("\n");
    const mainLines = lines.filter((l) => !l.trimStart().startsWith("↳"));
    const ends = rows.map((r, i) => {
      const line = mainLines[i] as string;
      return width(line.slice(0, line.indexOf(r.formatted) + r.formatted.length));
    });
    expect(new Set(ends).size).toBe(1);
  });

  it("keeps every line within the width", () => {
    for (const columns of [60, 80, 120]) {
      for (const line of renderText(digest, { width: columns }).split("\n")) {
        expect(width(line), line).toBeLessThanOrEqual(columns);
      }
    }
  });

  it("drops ** markers in plain text and uses terminal bold with ansi", () => {
    const message = { summary: "", blocks: [{ type: "text" as const, text: "Churn is **red** now" }] };
    expect(renderText(message)).toBe("Churn is red now");
    expect(renderText(message, { ansi: true })).toBe("Churn is \u001b[1mred\u001b[22m now");
  });

  it("does not split bold markers when wrapping", () => {
    const message = {
      summary: "",
      blocks: [{ type: "text" as const, text: `**${"word ".repeat(30).trim()}**` }],
    };
    expect(renderText(message, { width: 40 })).not.toContain("*");
  });

  it("renders any text at any width without throwing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 0, max: 200 }), (text, columns) => {
        const message = {
          summary: text,
          blocks: [
            { type: "header" as const, text },
            { type: "text" as const, text },
            { type: "fields" as const, fields: [{ label: text, value: text }] },
            {
              type: "kpis" as const,
              rows: [{ ...(rows[1] as (typeof rows)[number]), name: text, note: text, target: text }],
            },
            { type: "context" as const, text },
          ],
        };
        return typeof renderText(message, { width: columns }) === "string";
      }),
    );
  });

  it("says so when a KPI block is empty", () => {
    expect(renderText({ summary: "", blocks: [{ type: "kpis", rows: [] }] })).toBe("(no KPIs)");
  });

  it("falls back to the summary when there are no blocks", () => {
    expect(renderText({ summary: "Nothing to show", blocks: [] })).toBe("Nothing to show");
  });

  it("shows charts by their alt text and buttons with their command", () => {
    const text = renderText(digest);
    expect(text).toContain("[chart: Activation rate over 28 days: 46.2%, up 3.1 points; green]");
    expect(text).toContain("→ Churn by owner: churn by owner");
  });
});

describe("renderErrorMessage", () => {
  it("adds suggestions the message does not already carry, the hint, and the code", () => {
    const message = renderErrorMessage(
      new ClgError("clg_unknown_stage", 'No stage "intrest".', {
        suggestions: ["interest"],
        hint: "See `help stage`.",
      }),
    );
    expect(message.tone).toBe("error");
    expect(renderText(message)).toBe(
      '✖ No stage "intrest". Did you mean "interest"?\n\nSee `help stage`.\n\nerror code: clg_unknown_stage',
    );
  });

  it("does not repeat a did-you-mean already in the message", () => {
    const text = errorText("activaton");
    expect(text.match(/Did you mean/g)).toHaveLength(1);
  });
});
