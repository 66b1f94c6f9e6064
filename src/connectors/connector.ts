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
  /** Aborted when the source's timeout passes; HTTP connectors hand it to `fetch`. */
  signal?: AbortSignal;
  /** The poll's clock (connectors that read "now" from an API, like Stripe, use it to date the data). */
  now?: Date;
}

/** One problem found at catalog apply, at a path inside the source (`config.url`) or a KPI (`query.metric`). */
export interface ConnectorIssue {
  /** "source" for the source itself, or the slug of the KPI the problem is in. */
  on: "source" | { kpi: string };
  /** Path below the source or KPI, e.g. ["config", "url"] or ["query", "jsonpath"]. */
  at: (string | number)[];
  message: string;
}

/**
 * One interface for every source (demo, SQL, HTTP/CSV, GA4, Mixpanel, Stripe); a new source is one folder
 * under src/connectors/ exporting a Connector, plus one line in registry.ts.
 *
 * - `validate` runs at catalog apply, without network: the source's config (credentials shape, queries,
 *   options) and each KPI's `query`. Problems come back with paths, so the whole file is refused at once.
 * - `fetch` returns daily samples (value, or num / den, or dist; `segment` "" for the total) for the
 *   requested KPIs and days; it never writes to the database. A failure throws a ClgError with code
 *   `clg_source_failed` whose message names the KPI when one KPI is at fault and says what to check.
 * - `test` (see test-source.ts) is built on `fetch`: it fetches each KPI alone over recent days, so
 *   credentials and every KPI query are tried and each failure is reported on its own.
 * - `completeLagHours` says how long after a day ends the source's numbers for that day are final
 *   (GA4 and Mixpanel keep counting late events; a database or Stripe is current).
 * - `needsSecret` makes the catalog refuse the source without `secret_env`; `checkSecret`, when given,
 *   checks the secret's shape at apply (a service-account JSON, a key prefix) and says what is wrong
 *   without repeating the secret.
 */
export interface Connector {
  readonly kind: SourceDefinition["kind"];
  readonly needsSecret: boolean;
  readonly completeLagHours: number;
  validate(source: SourceDefinition, kpis: readonly KpiDefinition[]): ConnectorIssue[];
  checkSecret?(secret: string): string | null;
  fetch(request: PollRequest): Promise<Sample[]>;
}
