import type { Vocabulary } from "../../src/commands/command.ts";

export const vocab: Vocabulary = {
  kpis: [
    {
      slug: "activation",
      name: "Activation rate",
      aliases: ["activation", "act"],
      dimensions: ["owner", "plan"],
    },
    {
      slug: "time_to_first_value",
      name: "Time to first value",
      aliases: ["first value", "ttfv"],
      dimensions: [],
    },
    { slug: "churn", name: "Logo churn", aliases: ["churn rate"], dimensions: ["owner", "segment"] },
    { slug: "nps", name: "Net Promoter Score", aliases: [], dimensions: ["plan"] },
    { slug: "mrr", name: "MRR", aliases: ["monthly recurring revenue"], dimensions: [] },
    { slug: "retention_d30", name: "Day-30 retention", aliases: ["retention"], dimensions: [] },
  ],
};
