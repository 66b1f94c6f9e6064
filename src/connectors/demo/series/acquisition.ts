import { type DemoWorld, growth, offset, seasonality, weekday } from "../world.ts";
import type { Row, SeriesFn } from "./row.ts";

/** Sunday..Saturday traffic factors of a B2B site. */
const WEEKDAY_TRAFFIC = [0.55, 1.05, 1.08, 1.06, 1.02, 0.92, 0.58];
/** On the anchor day a broken tracking deploy and a paused campaign cut traffic: the anomaly to find. */
const ANCHOR_DAY_TRAFFIC = 0.38;

export interface Traffic {
  visitors: number;
  trials: number;
}

export function traffic(world: DemoWorld, day: number): Traffic {
  return world.memo(`traffic:${day}`, () => {
    const d = offset(world, day);
    const rng = world.rng("traffic", day);
    const expected = 2300 * growth(d, 0.35) * (WEEKDAY_TRAFFIC[weekday(day)] ?? 1) * seasonality(day);
    const visitors = Math.round(expected * rng.noise(0.06) * (d === 0 ? ANCHOR_DAY_TRAFFIC : 1));
    // Conversion improves slowly as the site gets better at speaking to the right people.
    const conversion = 0.032 * (1 + (0.1 * d) / 365);
    return { visitors, trials: rng.binomial(visitors, conversion) };
  });
}

export const newVisitors: SeriesFn = (world, day) => [{ segment: "", value: traffic(world, day).visitors }];

export const trials: SeriesFn = (world, day) => [{ segment: "", value: traffic(world, day).trials }];

export const siteConversion: SeriesFn = (world, day): Row[] => {
  const t = traffic(world, day);
  return t.visitors > 0 ? [{ segment: "", num: t.trials, den: t.visitors }] : [];
};
