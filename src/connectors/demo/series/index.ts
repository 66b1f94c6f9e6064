import { newVisitors, siteConversion, trials } from "./acquisition.ts";
import { activation, dashboardBuilt } from "./activation.ts";
import { ces, csat, fcr, nps } from "./feedback.ts";
import {
  churn,
  churnedMrr,
  contractionMrr,
  customers,
  expansionMrr,
  grossMargin,
  mrr,
  upgrades,
  weeklySharers,
} from "./revenue.ts";
import type { SeriesFn } from "./row.ts";

/** Every series the demo source can serve, by the name a KPI's `query.series` uses. */
export const DEMO_SERIES: Readonly<Record<string, SeriesFn>> = {
  new_visitors: newVisitors,
  trials,
  site_conversion: siteConversion,
  activation,
  dashboard_built: dashboardBuilt,
  weekly_sharers: weeklySharers,
  upgrades,
  nps,
  csat,
  ces,
  churn,
  customers,
  mrr,
  expansion_mrr: expansionMrr,
  contraction_mrr: contractionMrr,
  churned_mrr: churnedMrr,
  gross_margin: grossMargin,
  fcr,
};

export const DEMO_SERIES_NAMES: readonly string[] = Object.keys(DEMO_SERIES);
