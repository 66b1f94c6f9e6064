import { percentOf } from "./guard.ts";

/**
 * First contact resolution (%): tickets resolved on the first contact / all tickets x 100. Null with no
 * tickets.
 */
export function firstContactResolution(resolvedOnFirstContact: number, tickets: number): number | null {
  return percentOf(resolvedOnFirstContact, tickets);
}
