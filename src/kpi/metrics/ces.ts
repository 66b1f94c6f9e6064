import { type Distribution, distributionMean } from "./distribution.ts";

/**
 * Customer effort score: the mean answer on the survey's scale (1-7 by default, "the company made it
 * easy to handle my issue"). Null with no responses; answers outside the scale are ignored.
 */
export function ces(
  dist: Distribution,
  scale: { min: number; max: number } = { min: 1, max: 7 },
): number | null {
  return distributionMean(dist, scale);
}
