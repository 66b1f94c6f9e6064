import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
