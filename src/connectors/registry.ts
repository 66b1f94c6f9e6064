import type { SourceDefinition } from "../catalog/catalog-schema.ts";
import { ClgError } from "../errors.ts";
import type { KpiDefinition } from "../kpi/definition.ts";
import { inlineSecrets } from "./common/inline-secrets.ts";
import type { Connector } from "./connector.ts";
import { demoConnector } from "./demo/index.ts";
import { ga4Connector } from "./ga4/index.ts";
import { httpCsvConnector } from "./http-csv/index.ts";
import { mixpanelConnector } from "./mixpanel/index.ts";
import { sqlConnector } from "./sql/index.ts";
import { stripeConnector } from "./stripe/index.ts";

type SourceKind = SourceDefinition["kind"];

/** The connectors this build ships, by source kind. A new source is one folder and one line here. */
const CONNECTORS: Partial<Record<SourceKind, Connector>> = {
  demo: demoConnector,
  sql: sqlConnector,
  http_csv: httpCsvConnector,
  stripe: stripeConnector,
  ga4: ga4Connector,
  mixpanel: mixpanelConnector,
};

/** Source kinds that have a connector in this build. */
export function availableSourceKinds(): SourceKind[] {
  return Object.keys(CONNECTORS) as SourceKind[];
}

const kindList = () =>
  availableSourceKinds()
    .map((k) => `"${k}"`)
    .join(", ");

/** The connector for a source kind; a kind without one fails with a message naming what works today. */
export function connectorFor(kind: SourceKind): Connector {
  const connector = CONNECTORS[kind];
  if (connector) return connector;
  const available = availableSourceKinds();
  throw new ClgError(
    "clg_source_failed",
    `The "${kind}" connector is not available yet in this version of clg-bot.`,
    {
      hint: `Sources of kind ${kindList()} work today; keep this source's KPIs on one of them for now.`,
      suggestions: available,
    },
  );
}

export interface SourceIssue {
  at: (string | number)[];
  message: string;
}

/**
 * Catalog-apply checks that need the connectors: a kind this version cannot poll, a source that needs a
 * secret but names no variable, a credential written into a config or query, and each connector's own
 * checks of its config and its KPIs' queries.
 */
export function checkSources(
  sources: readonly SourceDefinition[],
  kpis: readonly KpiDefinition[],
): SourceIssue[] {
  const issues: SourceIssue[] = [];
  sources.forEach((source, i) => {
    const connector = CONNECTORS[source.kind];
    if (!connector) {
      issues.push({
        at: ["sources", i, "kind"],
        message: `this version of clg-bot cannot poll sources of kind "${source.kind}"; it can poll ${kindList()}`,
      });
      return;
    }
    if (connector.needsSecret && source.secret_env === undefined) {
      issues.push({
        at: ["sources", i, "secret_env"],
        message: `a ${source.kind} source needs its credentials: name the environment variable that holds them (secret_env: MY_VARIABLE), never the secret itself`,
      });
    }
    const own = kpis.filter((k) => k.source === source.name && k.aggregation.kind !== "formula");
    for (const found of inlineSecrets(source.config, ["config"])) {
      issues.push({ at: ["sources", i, ...found.at], message: found.message });
    }
    for (const kpi of own) {
      const j = kpis.indexOf(kpi);
      for (const found of inlineSecrets(kpi.query, ["query"])) {
        issues.push({ at: ["kpis", j, ...found.at], message: found.message });
      }
    }
    for (const issue of connector.validate(source, own)) {
      if (issue.on === "source") {
        issues.push({ at: ["sources", i, ...issue.at], message: issue.message });
      } else {
        const slug = issue.on.kpi;
        const j = kpis.findIndex((k) => k.slug === slug);
        issues.push({ at: ["kpis", j, ...issue.at], message: issue.message });
      }
    }
  });
  return issues;
}

/** What is wrong with a source's secret, in words that never repeat it; null when it looks right. */
export function secretProblem(kind: SourceKind, secret: string): string | null {
  return CONNECTORS[kind]?.checkSecret?.(secret) ?? null;
}
