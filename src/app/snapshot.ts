import type { Db } from "../db/db.ts";
import { listSegmentStatus } from "../db/kpi-status-repository.ts";
import { loadSegmentSeries } from "../db/samples-repository.ts";
import { listSources } from "../db/sources-repository.ts";
import {
  createValueSource,
  type Evaluation,
  evaluateCatalog,
  formulaRefs,
  indexSamples,
  type KpiDefinition,
  lastCompleteDay,
  type SeriesIndex,
  type StoredStatus,
  statusKey,
  storedStatusSchema,
  TOTAL_SEGMENT,
  type ValueSource,
} from "../kpi/index.ts";
import { historyStart } from "./history-range.ts";
import type { WorkspaceCatalog } from "./workspace-catalog.ts";

/** A source whose last poll failed: its KPIs show status `error` over the last good data. */
export interface SourceFailure {
  source: string;
  error: string;
  at: Date;
}

/**
 * Everything needed to talk about a set of KPIs right now: evaluations per KPI and window (with the
 * remembered flap-control states), the indexed samples for charts, and which sources are failing.
 */
export interface Snapshot {
  catalog: WorkspaceCatalog;
  /** "" for the whole, or the one segment evaluated. */
  segment: string;
  asOf: string;
  now: Date;
  evaluations: ReadonlyMap<string, Evaluation>;
  indexes: ReadonlyMap<string, SeriesIndex>;
  values: ValueSource;
  failures: ReadonlyMap<string, SourceFailure>;
  /** Stored states (what alerts last saw), by statusKey. */
  states: ReadonlyMap<string, StoredStatus>;
}

/** The KPIs plus every KPI their formulas read, transitively. */
export function withFormulaInputs(catalog: WorkspaceCatalog, slugs: Iterable<string>): KpiDefinition[] {
  const seen = new Set<string>();
  const visit = (slug: string) => {
    if (seen.has(slug)) return;
    const def = catalog.bySlug.get(slug);
    if (!def) return;
    seen.add(slug);
    for (const ref of formulaRefs(def)) visit(ref);
  };
  for (const slug of slugs) visit(slug);
  return catalog.kpis.filter((k) => seen.has(k.slug));
}

/** Remembered status-machine states of the whole ("" segment) or of one segment, by statusKey. */
export async function loadStates(
  db: Db,
  workspace: string,
  segment: string = TOTAL_SEGMENT,
  kpis?: readonly string[],
): Promise<Map<string, StoredStatus>> {
  const rows = await listSegmentStatus(db, workspace, segment, kpis);
  const states = new Map<string, StoredStatus>();
  for (const r of rows) {
    // A row that does not parse (written by another version) starts that KPI's machine afresh.
    const parsed = storedStatusSchema.safeParse({ state: r.state, base: r.base });
    if (parsed.success) states.set(statusKey(r.kpi, r.window), parsed.data);
  }
  return states;
}

/** A successful poll clears the error, so an error still recorded means the last poll failed. */
export function lastPollFailed(source: { last_error: string | null }): boolean {
  return source.last_error !== null;
}

/** Failing sources by KPI, and each KPI's last complete day where its source is final before `asOf`. */
export async function loadSourceHealth(
  db: Db,
  catalog: WorkspaceCatalog,
  asOf: string,
): Promise<{ failures: Map<string, SourceFailure>; asOfByKpi: Map<string, string> }> {
  const sources = await listSources(db, catalog.workspace);
  const complete = new Map(sources.map((s) => [s.name, s.complete_through]));
  const asOfByKpi = new Map<string, string>();
  for (const k of catalog.kpis) {
    const day = k.source ? complete.get(k.source) : null;
    if (day && day < asOf) asOfByKpi.set(k.slug, day);
  }
  return { failures: failuresByKpi(sources, catalog), asOfByKpi };
}

export async function loadFailures(db: Db, catalog: WorkspaceCatalog): Promise<Map<string, SourceFailure>> {
  return failuresByKpi(await listSources(db, catalog.workspace), catalog);
}

function failuresByKpi(
  sources: readonly { name: string; last_error: string | null; last_error_at: Date | null }[],
  catalog: WorkspaceCatalog,
): Map<string, SourceFailure> {
  const failing = new Map<string, SourceFailure>();
  for (const s of sources) {
    if (lastPollFailed(s))
      failing.set(s.name, { source: s.name, error: s.last_error ?? "", at: s.last_error_at as Date });
  }
  const byKpi = new Map<string, SourceFailure>();
  for (const k of catalog.kpis) {
    const failure = k.source ? failing.get(k.source) : undefined;
    if (failure) byKpi.set(k.slug, failure);
  }
  return byKpi;
}

export interface SnapshotOptions {
  /** KPIs to evaluate (formula inputs are added); all when omitted. */
  kpis?: readonly string[];
  /** Windows to evaluate instead of each KPI's own. */
  windows?: readonly string[];
  /** Evaluate one segment ("plan:pro") instead of the whole. */
  segment?: string;
  /** Load the history trend charts need too (answers); evaluation runs without charts load less. */
  charts?: boolean;
  now: Date;
}

export async function buildSnapshot(
  db: Db,
  catalog: WorkspaceCatalog,
  opts: SnapshotOptions,
): Promise<Snapshot> {
  const defs = opts.kpis ? withFormulaInputs(catalog, opts.kpis) : [...catalog.kpis];
  const asOf = lastCompleteDay(opts.now, catalog.timezone);
  const start = historyStart(
    defs,
    (def) => opts.windows ?? def.windows,
    asOf,
    catalog.timezone,
    opts.charts ?? true,
  );
  const sourced = defs.filter((d) => d.aggregation.kind !== "formula").map((d) => d.slug);
  const segment = opts.segment ?? TOTAL_SEGMENT;
  const [samples, states, { failures, asOfByKpi }] = await Promise.all([
    loadSegmentSeries(db, catalog.workspace, sourced, { start, end: asOf }, segment),
    // An answer about a few KPIs reads their states only, not the workspace's thousands.
    loadStates(
      db,
      catalog.workspace,
      segment,
      opts.kpis && defs.length <= 100 ? defs.map((d) => d.slug) : undefined,
    ),
    loadSourceHealth(db, catalog, asOf),
  ]);
  const indexes = indexSamples(samples, segment);
  const evaluations = evaluateCatalog({
    defs,
    indexes,
    states,
    asOf,
    asOfByKpi,
    timezone: catalog.timezone,
    now: opts.now,
    sourceErrors: new Set(failures.keys()),
    ...(opts.windows ? { windows: opts.windows } : {}),
  });
  return {
    catalog,
    segment,
    asOf,
    now: opts.now,
    evaluations: new Map(evaluations.map((e) => [statusKey(e.kpi, e.window), e])),
    indexes,
    values: createValueSource(new Map(defs.map((d) => [d.slug, d])), indexes),
    failures,
    states,
  };
}

export function evaluationOf(snapshot: Snapshot, slug: string, window: string): Evaluation | undefined {
  return snapshot.evaluations.get(statusKey(slug, window));
}
