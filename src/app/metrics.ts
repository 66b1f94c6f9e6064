import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/db.ts";
import { outboxGauges } from "../db/deliveries-repository.ts";
import { countOpenIncidents } from "../db/incidents-repository.ts";
import type { Clock } from "./clock.ts";

/** Prometheus metrics served on GET /metrics. One registry per service instance so tests stay isolated. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    commands: new Counter({
      name: "clg_commands_total",
      help: "Commands answered, by command kind and outcome",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: "clg_command_seconds",
      help: "Time to answer a command",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    polls: new Counter({
      name: "clg_source_polls_total",
      help: "Source polls, by source and outcome",
      labelNames: ["source", "outcome"] as const,
      registers: [registry],
    }),
    evaluations: new Counter({
      name: "clg_evaluations_total",
      help: "KPI window evaluations",
      registers: [registry],
    }),
    statusChanges: new Counter({
      name: "clg_status_changes_total",
      help: "Status transitions recorded",
      labelNames: ["to"] as const,
      registers: [registry],
    }),
    deliveries: new Counter({
      name: "clg_deliveries_total",
      help: "Delivery attempts by platform, outcome (sent, retried, failed, skipped, fenced) and reason",
      labelNames: ["platform", "outcome", "reason"] as const,
      registers: [registry],
    }),
    scheduleLagSeconds: new Histogram({
      name: "clg_schedule_lag_seconds",
      help: "From a digest's scheduled minute to its delivery row being queued",
      buckets: [1, 5, 15, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    evaluationSeconds: new Histogram({
      name: "clg_evaluation_seconds",
      help: "Time to evaluate one workspace's KPIs",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Gauges read from the database when /metrics is scraped: the outbox's queue depth (pending and sending),
 * the age of its oldest due row, and the incidents still open. Every replica reports the same shared numbers.
 */
export function registerOutboxGauges(metrics: Metrics, db: Db, clock: Clock): void {
  let last: Promise<Awaited<ReturnType<typeof outboxGauges>>> | null = null;
  // One query per scrape serves both gauges.
  const read = () => {
    last ??= outboxGauges(db, clock.now()).finally(() => setTimeout(() => (last = null), 1_000).unref());
    return last;
  };
  new Gauge({
    name: "clg_outbox_queue_depth",
    help: "Deliveries waiting or being sent, by state",
    labelNames: ["state"] as const,
    registers: [metrics.registry],
    async collect() {
      const g = await read();
      for (const state of ["pending", "sending"]) this.set({ state }, g.byState[state] ?? 0);
    },
  });
  new Gauge({
    name: "clg_incidents_open",
    help: "Incidents not yet resolved, across every workspace",
    registers: [metrics.registry],
    async collect() {
      this.set(await countOpenIncidents(db));
    },
  });
  new Gauge({
    name: "clg_outbox_oldest_due_seconds",
    help: "Age of the oldest delivery that is due and not yet sent",
    registers: [metrics.registry],
    async collect() {
      this.set((await read()).oldestDueSeconds);
    },
  });
}
