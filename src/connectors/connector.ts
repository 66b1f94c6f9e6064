import type { SourceDefinition } from "../catalog/catalog-schema.ts";
import type { KpiDefinition } from "../kpi/definition.ts";
import type { Sample } from "../kpi/sample.ts";

/** What a poll asks a source for: these KPIs, these days (inclusive, in the catalog timezone). */
export interface PollRequest {
  source: SourceDefinition;
  kpis: readonly KpiDefinition[];
  since: string;
  until: string;
  timezone: string;
  /** The decrypted secret, when the source has one. Never logged. */
  secret: string | null;
  /** Handed in so tests can point a connector at a local stand-in of the real API. */
  fetch: typeof fetch;
}

/**
 * One interface for every source (demo, SQL, HTTP/CSV, GA4, Mixpanel, Stripe).
 * A connector returns daily samples; it never writes to the database itself. A failure throws a ClgError
 * with code `clg_source_failed` whose message says what the admin should check.
 */
export interface Connector {
  readonly kind: SourceDefinition["kind"];
  poll(request: PollRequest): Promise<Sample[]>;
}
