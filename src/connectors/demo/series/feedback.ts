import { INCIDENT_DAYS, isWeekend, offset } from "../world.ts";
import { histogram, type SeriesFn } from "./row.ts";

/** Answer weights for scores 0..10: 14% detractors, 32% passives, 54% promoters (NPS about 40). */
const NPS_WEIGHTS = [0.01, 0.005, 0.01, 0.01, 0.015, 0.03, 0.06, 0.13, 0.19, 0.26, 0.28];
/** Scores 1..5: 85% rate 4 or 5. */
const CSAT_WEIGHTS = [0.03, 0.04, 0.08, 0.35, 0.5];
/** Scores 1..7 ("how easy", 7 = very easy): mean about 5.6. */
const CES_WEIGHTS = [0.02, 0.03, 0.05, 0.1, 0.18, 0.3, 0.32];

function answers(weekday: number, weekend: number, day: number): number {
  return isWeekend(day) ? weekend : weekday;
}

export const nps: SeriesFn = (world, day) => {
  const rng = world.rng("nps", day);
  const n = rng.poisson(answers(14, 5, day));
  return n > 0 ? [{ segment: "", dist: histogram(rng, n, 0, NPS_WEIGHTS) }] : [];
};

export const csat: SeriesFn = (world, day) => {
  const rng = world.rng("csat", day);
  const n = rng.poisson(answers(38, 12, day));
  return n > 0 ? [{ segment: "", dist: histogram(rng, n, 1, CSAT_WEIGHTS) }] : [];
};

export const ces: SeriesFn = (world, day) => {
  const rng = world.rng("ces", day);
  const n = rng.poisson(answers(25, 8, day));
  return n > 0 ? [{ segment: "", dist: histogram(rng, n, 1, CES_WEIGHTS) }] : [];
};

/** First-contact resolution dips while the churn spike floods support. */
export const fcr: SeriesFn = (world, day) => {
  const rng = world.rng("fcr", day);
  const tickets = rng.poisson(answers(45, 12, day));
  if (tickets === 0) return [];
  const rate = offset(world, day) > -INCIDENT_DAYS ? 0.65 : 0.75;
  return [{ segment: "", num: rng.binomial(tickets, rate), den: tickets }];
};
