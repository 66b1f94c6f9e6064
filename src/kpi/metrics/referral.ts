import { percentOf } from "./guard.ts";

/**
 * Referral conversion rate (%): referred sign-ups that became paying customers / referred sign-ups x 100.
 * Null with no referred sign-ups.
 */
export function referralConversion(convertedReferred: number, referredSignups: number): number | null {
  return percentOf(convertedReferred, referredSignups);
}
