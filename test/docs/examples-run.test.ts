import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askLocal } from "../../src/local/ask-local.ts";
import { openTestRuntime, type TestRuntime } from "../support/test-runtime.ts";
import { commandDocExamples, inlineKpiExamples, readmeExamples, refusedKpiExamples } from "./doc-examples.ts";

let rt: TestRuntime;
beforeAll(async () => {
  rt = await openTestRuntime();
});
afterAll(async () => {
  await rt?.close();
});

const examples = [...readmeExamples(), ...commandDocExamples(), ...inlineKpiExamples()];

describe("every command example in the docs runs as written (default catalog, demo data)", () => {
  it("finds the examples", () => {
    expect(readmeExamples()).toContain("activation 28d");
    expect(commandDocExamples()).toContain("subscribe digest weekly Europe/Berlin");
    expect(inlineKpiExamples()).toEqual(
      expect.arrayContaining([
        "net-revenue-retention",
        'churn for owner:"Dana Ruiz"',
        'churn for owner = "Dana Ruiz"',
      ]),
    );
    expect(examples.length).toBeGreaterThan(30);
  });

  // In order, in one channel: an `unsubscribe` example follows the `subscribe` it undoes.
  it.each(examples)("%s", async (text) => {
    const answer = await askLocal(rt, { text, channel: "docs", user: "reader" });
    expect(answer.message.tone === "error" ? answer.text : "answered").toBe("answered");
  });
});

describe("every question the docs say is refused is refused", () => {
  it("finds them", () => {
    expect(refusedKpiExamples()).toEqual(
      expect.arrayContaining(["churn week", "churn 28d by plan vs target"]),
    );
  });

  it.each(refusedKpiExamples())("%s", async (text) => {
    const answer = await askLocal(rt, { text, channel: "docs", user: "reader" });
    expect(answer.message.tone).toBe("error");
  });
});
