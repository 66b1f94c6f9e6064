import { describe, expect, it } from "vitest";
import { runEvaluateBench } from "../../bench/evaluate-bench.ts";

describe("runEvaluateBench", () => {
  it("evaluates 1,000 KPIs in six windows well within the budget", async () => {
    const out = await runEvaluateBench(1000);
    expect(out.evaluations).toBe(6000);
    // The 10,000-KPI budget is 5 s; 1,000 should take a fraction of it even on a slow machine.
    expect(out.ms).toBeLessThan(5000);
  });
});
