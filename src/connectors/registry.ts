import type { SourceDefinition } from "../catalog/catalog-schema.ts";
import { ClgError } from "../errors.ts";
import type { Connector } from "./connector.ts";
import { demoConnector } from "./demo/index.ts";
import { sqlConnector } from "./sql/index.ts";

type SourceKind = SourceDefinition["kind"];

/** The connectors this build ships, by source kind. */
const CONNECTORS: Partial<Record<SourceKind, Connector>> = {
  demo: demoConnector,
  sql: sqlConnector,
};

/** The connector for a source kind; a kind without one fails with a message naming what works today. */
export function connectorFor(kind: SourceKind): Connector {
  const connector = CONNECTORS[kind];
  if (connector) return connector;
  const available = Object.keys(CONNECTORS);
  throw new ClgError(
    "clg_source_failed",
    `The "${kind}" connector is not available yet in this version of clg-bot.`,
    {
      hint: `Sources of kind ${available.map((k) => `"${k}"`).join(", ")} work today; keep this source's KPIs on one of them for now.`,
      suggestions: available,
    },
  );
}

/** Source kinds that have a connector in this build. */
export function availableSourceKinds(): SourceKind[] {
  return Object.keys(CONNECTORS) as SourceKind[];
}
