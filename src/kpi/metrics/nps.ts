import { countsInScale, type Distribution } from "./distribution.ts";

export interface NpsOptions {
  /** Lowest promoter score (9 on the standard 0-10 scale). */
  promoterMin?: number;
  /** Highest detractor score (6 on the standard 0-10 scale). */
  detractorMax?: number;
  scale?: { min: number; max: number };
}

/**
 * Net Promoter Score from a 0-10 answer histogram: % promoters (9-10) minus % detractors (0-6).
 * Passives (7-8) count in the total only. Range -100..100; null with no responses.
 */
export function npsFromDistribution(dist: Distribution, options: NpsOptions = {}): number | null {
  const scale = options.scale ?? { min: 0, max: 10 };
  const promoterMin = options.promoterMin ?? scale.max - 1;
  const detractorMax = options.detractorMax ?? scale.max - 4;
  const counts = countsInScale(dist, scale);
  if (!counts) return null;
  let total = 0;
  let promoters = 0;
  let detractors = 0;
  for (const [score, n] of counts) {
    total += n;
    if (score >= promoterMin) promoters += n;
    else if (score <= detractorMax) detractors += n;
  }
  return total === 0 ? null : ((promoters - detractors) / total) * 100;
}
