import type { KpiRow, Message } from "../../src/messages/message.ts";

const row = (r: Partial<KpiRow> & Pick<KpiRow, "slug" | "name" | "formatted" | "status">): KpiRow => ({
  stage: "activation",
  window: "28d",
  value: null,
  delta: null,
  deltaGood: null,
  target: null,
  note: null,
  ...r,
});

export const rows: KpiRow[] = [
  row({
    slug: "activation",
    name: "Activation rate",
    value: 46.2,
    formatted: "46.2%",
    status: "green",
    delta: "+3.1 pp vs previous 28d",
    deltaGood: true,
    target: "on pace for 60% this quarter",
  }),
  row({
    slug: "churn",
    name: "Logo churn",
    stage: "customer_success",
    value: 3.2,
    formatted: "3.2%",
    status: "red",
    delta: "+0.4 pp vs previous 28d",
    deltaGood: false,
    target: "behind by 12%: needs 41 more, 3.2 a day",
    note: "**Unusual**: 4.1 MADs above the usual level for a Monday",
  }),
  row({
    slug: "mrr",
    name: "MRR",
    stage: "value_growth",
    value: 182_400,
    formatted: "$182.4k",
    status: "amber",
    delta: "−12.0% vs previous 7d",
    deltaGood: false,
  }),
  row({ slug: "nps", name: "Net Promoter Score", formatted: "—", status: "no_data" }),
  row({
    slug: "csat",
    name: "顧客満足度",
    formatted: "—",
    status: "error",
    note: "Source demo failed 2 hours ago",
  }),
];

export const digest: Message = {
  summary: "Weekly digest: 1 red, 1 amber, 1 green",
  blocks: [
    { type: "header", text: "Weekly digest · 28 days to Sunday 22 Nov" },
    { type: "text", text: "**Logo churn** turned **red** on Thursday; activation keeps climbing." },
    { type: "kpis", rows },
    { type: "divider" },
    {
      type: "fields",
      fields: [
        { label: "Owner", value: "Dana Ruiz" },
        { label: "Window", value: "28d" },
        { label: "Compared with", value: "the previous 28 days" },
      ],
    },
    {
      type: "chart",
      chart: {
        request: {
          template: "trend",
          title: "Activation rate · last 28 days",
          unit: "%",
          points: [],
          status: "green",
        },
        altText: "Activation rate over 28 days: 46.2%, up 3.1 points; green",
      },
    },
    {
      type: "actions",
      buttons: [
        { label: "Activation 90 days", command: "activation 90d", style: "primary" },
        { label: "Churn by owner", command: "churn by owner" },
      ],
    },
    { type: "context", text: "Source: demo · updated 5 minutes ago" },
    { type: "context", text: "Reply `help` for commands." },
  ],
};
